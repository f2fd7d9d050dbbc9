package dev.reprise.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class ProjectRepository implements PanacheRepositoryBase<ProjectEntity, Long> {

    public Optional<ProjectEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /**
     * The project of that name, created if needed. Concurrent creators race on the unique name: the insert uses
     * ON CONFLICT DO NOTHING so neither transaction fails.
     */
    public ProjectEntity findOrCreate(String name) {
        EntityManager em = getEntityManager();
        em.createNativeQuery("insert into projects (name, created_at) values (?1, ?2) on conflict (name) do nothing")
                .setParameter(1, name)
                .setParameter(2, Instant.now())
                .executeUpdate();
        return findByName(name).orElseThrow();
    }
}
