package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Project members and their roles (table project_members; project "*" means every project). */
@ApplicationScoped
public class MemberRepository {

    /** One membership. */
    public record Member(String project, String subject, String role, Instant createdAt, String createdBy) {
    }

    private final EntityManager em;

    public MemberRepository(EntityManager em) {
        this.em = em;
    }

    public List<Member> ofSubject(String subject) {
        return rows(em.createNativeQuery("select project, subject, role, created_at, created_by from project_members "
                + "where subject = ?1").setParameter(1, subject).getResultList());
    }

    public List<Member> ofProject(String project) {
        return rows(em.createNativeQuery("select project, subject, role, created_at, created_by from project_members "
                + "where project = ?1 order by subject").setParameter(1, project).getResultList());
    }

    /** Adds the member or changes its role; returns the previous role or null. */
    public String put(String project, String subject, String role, String by) {
        @SuppressWarnings("unchecked")
        List<Object> previous = em.createNativeQuery("select role from project_members where project = ?1 and "
                + "subject = ?2 for update").setParameter(1, project).setParameter(2, subject).getResultList();
        em.createNativeQuery("insert into project_members (project, subject, role, created_at, created_by) "
                + "values (?1, ?2, ?3, ?4, ?5) on conflict (project, subject) do update set role = excluded.role")
                .setParameter(1, project).setParameter(2, subject).setParameter(3, role)
                .setParameter(4, Instant.now()).setParameter(5, by)
                .executeUpdate();
        return previous.isEmpty() ? null : (String) previous.get(0);
    }

    /** Removes the member; false when it was none. */
    public boolean remove(String project, String subject) {
        return em.createNativeQuery("delete from project_members where project = ?1 and subject = ?2")
                .setParameter(1, project).setParameter(2, subject).executeUpdate() > 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Member> rows(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new Member((String) r[0], (String) r[1], (String) r[2],
                instant(r[3]), (String) r[4])).toList();
    }

    static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return o == null ? null : Instant.parse(o.toString());
    }
}
