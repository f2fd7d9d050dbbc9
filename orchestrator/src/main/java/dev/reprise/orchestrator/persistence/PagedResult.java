package dev.reprise.orchestrator.persistence;

import java.util.List;

/** One page of a longer result. */
public record PagedResult<T>(List<T> items, int page, int size, long total) {
}
