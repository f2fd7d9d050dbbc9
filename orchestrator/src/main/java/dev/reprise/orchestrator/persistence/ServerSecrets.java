package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;

/** Secrets generated once and shared by every replica through the database (table server_secrets). */
@ApplicationScoped
public class ServerSecrets {

    private final EntityManager em;

    public ServerSecrets(EntityManager em) {
        this.em = em;
    }

    /** The secret of that name, created with {@code length} random bytes if missing; concurrent creators agree. */
    @Transactional
    public byte[] getOrCreate(String name, int length) {
        byte[] fresh = new byte[length];
        new SecureRandom().nextBytes(fresh);
        em.createNativeQuery("insert into server_secrets (name, value) values (?1, ?2) on conflict (name) do nothing")
                .setParameter(1, name).setParameter(2, fresh).executeUpdate();
        return (byte[]) em.createNativeQuery("select value from server_secrets where name = ?1")
                .setParameter(1, name).getSingleResult();
    }
}
