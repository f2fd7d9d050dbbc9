package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Collects field errors while a document is read, so that one submission reports all its problems at once. */
final class Errors {

    private final List<FieldError> list = new ArrayList<>();

    void add(String field, String message) {
        list.add(new FieldError(field, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    List<FieldError> toList() {
        return List.copyOf(list);
    }
}
