package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.run.SweepStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class SweepRepository implements PanacheRepositoryBase<SweepEntity, Long> {

    public Optional<SweepEntity> findByProjectAndName(long projectId, String name) {
        return find("project.id = :p and name = :n", Parameters.with("p", projectId).and("n", name))
                .firstResultOptional();
    }

    /** A page of sweeps, newest first, optionally filtered by project name and status. */
    public PagedResult<SweepEntity> page(String project, SweepStatus status, int page, int size) {
        return page(null, project, status, page, size);
    }

    /** A page of sweeps of the visible projects (null: all), optionally of one project and status. */
    public PagedResult<SweepEntity> page(java.util.Collection<String> visibleProjects, String project,
            SweepStatus status, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (visibleProjects != null) {
            query.append(" and project.name in :visible");
            params.and("visible", visibleProjects.isEmpty() ? List.of("") : visibleProjects);
        }
        if (project != null) {
            query.append(" and project.name = :project");
            params.and("project", project);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        PanacheQuery<SweepEntity> q = find(query.toString(), Sort.descending("createdAt", "id"), params);
        long total = q.count();
        List<SweepEntity> items = q.page(Page.of(page, size)).list();
        return new PagedResult<>(items, page, size, total);
    }

    /** The sweeps with these ids, in no particular order. */
    public List<SweepEntity> byIds(java.util.Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : list("id in ?1", List.copyOf(ids));
    }

    /** Ids of the unpaused QUEUED or RUNNING sweeps whose method is one of the given (adaptive) ones, by id. */
    public List<Long> adaptiveCandidates(java.util.Collection<String> adaptiveMethods) {
        return getEntityManager().createQuery("select s.id from SweepEntity s where s.method in :adaptive "
                        + "and s.paused = false and s.status in :statuses order by s.id", Long.class)
                .setParameter("adaptive", adaptiveMethods)
                .setParameter("statuses", List.of(SweepStatus.QUEUED, SweepStatus.RUNNING))
                .getResultList();
    }

    /** RUNNING sweeps that name a metric (the ones an early-stopping rule may apply to). */
    public List<SweepEntity> runningWithMetric() {
        return list("status = ?1 and metricName is not null", SweepStatus.RUNNING);
    }
}
