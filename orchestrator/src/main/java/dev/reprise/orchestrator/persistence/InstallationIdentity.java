package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * This installation's identity (table {@code installation}, created with the database): eight hex digits that every
 * Kubernetes object of this installation carries, so that objects of another installation or of an earlier database
 * are never taken for its own. Read once; it never changes.
 */
@ApplicationScoped
public class InstallationIdentity {

    private final EntityManager em;
    private volatile String id;

    public InstallationIdentity(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public String id() {
        String cached = id;
        if (cached == null) {
            cached = (String) em.createNativeQuery("select id from installation").getSingleResult();
            id = cached;
        }
        return cached;
    }
}
