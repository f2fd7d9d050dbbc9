package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.error.BadInputException;
/** Validated paging parameters. */
record Paging(int page, int size) {

    static final int MAX_SIZE = 500;

    static Paging of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0) {
            throw new BadInputException("page", "page must be 0 or more");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw new BadInputException("size", "size must be between 1 and " + MAX_SIZE);
        }
        return new Paging(p, s);
    }
}
