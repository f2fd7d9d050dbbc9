package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The append-only audit log (table audit_log; the database refuses updates and deletes). */
@ApplicationScoped
public class AuditRepository {

    /** One entry. detail is JSON text or null. */
    public record Entry(long id, Instant at, String actor, String actorKind, String action, String project,
            String target, String clientAddress, String detail) {
    }

    /** Filters; null fields do not filter. projects null means every project. */
    public record Filter(Collection<String> projects, String project, String actor, String action, String target,
            Instant since, Instant until) {
    }

    private final EntityManager em;

    public AuditRepository(EntityManager em) {
        this.em = em;
    }

    public void append(String actor, String actorKind, String action, String project, String target,
            String clientAddress, String detailJson) {
        em.createNativeQuery("insert into audit_log (at, actor, actor_kind, action, project, target, client_address, "
                + "detail) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb))")
                .setParameter(1, Instant.now()).setParameter(2, actor).setParameter(3, actorKind)
                .setParameter(4, action).setParameter(5, project).setParameter(6, target)
                .setParameter(7, clientAddress).setParameter(8, detailJson)
                .executeUpdate();
    }

    public PagedResult<Entry> page(Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (filter.projects() != null) {
            where.append(" and project = any(cast(?").append(params.size() + 1).append(" as text[]))");
            params.add(filter.projects().toArray(String[]::new));
        }
        appendEquals(where, params, "project", filter.project());
        appendEquals(where, params, "actor", filter.actor());
        appendEquals(where, params, "action", filter.action());
        appendEquals(where, params, "target", filter.target());
        if (filter.since() != null) {
            where.append(" and at >= ?").append(params.size() + 1);
            params.add(filter.since());
        }
        if (filter.until() != null) {
            where.append(" and at < ?").append(params.size() + 1);
            params.add(filter.until());
        }
        Query count = em.createNativeQuery("select count(*) from audit_log" + where);
        Query rows = em.createNativeQuery("select id, at, actor, actor_kind, action, project, target, client_address, "
                + "cast(detail as text) from audit_log" + where + " order by at desc, id desc limit " + size
                + " offset " + ((long) page * size));
        for (int i = 0; i < params.size(); i++) {
            count.setParameter(i + 1, params.get(i));
            rows.setParameter(i + 1, params.get(i));
        }
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> list = rows.getResultList();
        List<Entry> items = list.stream().map(r -> new Entry(((Number) r[0]).longValue(),
                MemberRepository.instant(r[1]), (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                (String) r[6], (String) r[7], (String) r[8])).toList();
        return new PagedResult<>(items, page, size, total);
    }

    private static void appendEquals(StringBuilder where, List<Object> params, String column, String value) {
        if (value != null && !value.isBlank()) {
            where.append(" and ").append(column).append(" = ?").append(params.size() + 1);
            params.add(value);
        }
    }
}
