package dev.reprise.cli.client;

import java.util.List;

/** One page of a list endpoint: {@code {"items":[...],"page":0,"size":50,"total":123}}. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Whether items remain after this page. */
    public boolean hasNext() {
        return (long) page * size + items.size() < total;
    }
}
