package dev.reprise.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiTokenEntity, Long> {

    public Optional<ApiTokenEntity> findByHash(String secretHash) {
        return find("secretHash", secretHash).firstResultOptional();
    }

    /** API tokens (not sessions), newest first; projects null means all. */
    public PagedResult<ApiTokenEntity> page(Collection<String> projects, boolean includeInactive, int page, int size) {
        StringBuilder query = new StringBuilder("kind = 'api'");
        Parameters params = new Parameters();
        if (projects != null) {
            query.append(" and project in :projects");
            params.and("projects", projects.isEmpty() ? List.of("") : projects);
        }
        if (!includeInactive) {
            query.append(" and revokedAt is null and expiresAt > current_timestamp");
        }
        PanacheQuery<ApiTokenEntity> q = find(query.toString(), Sort.descending("createdAt", "id"), params);
        return new PagedResult<>(q.page(Page.of(page, size)).list(), page, size, q.count());
    }

    /** Revokes the unrevoked tokens (sessions) made from the token {@code parentId}. */
    public int revokeChildren(long parentId, java.time.Instant at, String by) {
        return update("revokedAt = ?1, revokedBy = ?2 where parentId = ?3 and revokedAt is null", at, by, parentId);
    }
}
