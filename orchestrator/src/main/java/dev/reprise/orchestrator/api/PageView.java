package dev.reprise.orchestrator.api;

import java.util.List;

/** One page of a list: the items, which page, its size, and the total count of items. */
public record PageView<T>(List<T> items, int page, int size, long total) {
}
