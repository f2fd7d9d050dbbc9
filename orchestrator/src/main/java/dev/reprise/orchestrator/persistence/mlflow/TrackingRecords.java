package dev.reprise.orchestrator.persistence.mlflow;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import dev.reprise.orchestrator.persistence.ProjectRepository;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.SweepEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the sweeps and runs behind MLflow experiments and runs (through Hibernate, which owns their id
 * sequences). A tracking sweep (method 'tracking') holds no search: its spec records only its name and project, its
 * status is RUNNING while it is open, and it never has a QUEUED run, so the scheduler never picks it up.
 */
@ApplicationScoped
public class TrackingRecords {

    public static final String TRACKING_METHOD = "tracking";
    public static final String TRACKING_EXECUTOR = dev.reprise.orchestrator.domain.mlflow.TrackedRun.TRACKING_EXECUTOR;

    private final EntityManager em;
    private final ProjectRepository projects;

    public TrackingRecords(EntityManager em, ProjectRepository projects) {
        this.em = em;
        this.projects = projects;
    }

    /** The id of the new tracking sweep, or empty when the project has an experiment of that name already. */
    @Transactional
    public Optional<Long> createExperiment(String project, String name, String createdBy, Map<String, String> tags) {
        var p = projects.findOrCreate(project);
        Number existing = (Number) em.createNativeQuery(
                "select count(*) from sweeps where project_id = ?1 and name = ?2")
                .setParameter(1, p.id).setParameter(2, name).getSingleResult();
        if (existing.longValue() > 0) {
            return Optional.empty();
        }
        String spec = "{\"method\":\"tracking\",\"name\":" + jsonString(name) + ",\"project\":" + jsonString(project)
                + "}";
        Instant now = Instant.now();
        SweepEntity s = new SweepEntity();
        s.project = p;
        s.name = name;
        s.status = SweepStatus.RUNNING;
        s.method = TRACKING_METHOD;
        s.specText = spec;
        s.specFormat = "json";
        s.spec = spec;
        s.specHash = sha256(spec);
        s.specTextHash = sha256(spec);
        s.maxTrials = Integer.MAX_VALUE;
        s.parallelism = 1;
        s.seed = 0;
        s.queue = "default";
        s.priority = 0;
        s.createdAt = now;
        s.createdBy = createdBy;
        s.updatedAt = now;
        em.persist(s);
        em.flush();
        tags.forEach((k, v) -> em.createNativeQuery("insert into sweep_tags (sweep_id, key, value) values (?1, ?2, ?3)")
                .setParameter(1, s.id).setParameter(2, k).setParameter(3, v).executeUpdate());
        return Optional.of(s.id);
    }

    /** A new RUNNING run of the sweep, driven by its MLflow client. */
    @Transactional
    public long createRun(long sweepId, String runName, String userId, Instant startedAt) {
        em.createNativeQuery("select id from sweeps where id = ?1 for update").setParameter(1, sweepId)
                .getResultList();
        Number next = (Number) em.createNativeQuery(
                "select coalesce(max(run_index), -1) + 1 from runs where sweep_id = ?1")
                .setParameter(1, sweepId).getSingleResult();
        RunEntity r = new RunEntity();
        r.sweepId = sweepId;
        r.index = next.intValue();
        r.parameters = "{}";
        r.state = RunState.RUNNING;
        r.attempt = 0;
        r.createdAt = Instant.now();
        r.startedAt = startedAt;
        r.executor = TRACKING_EXECUTOR;
        em.persist(r);
        em.flush();
        em.createNativeQuery("update runs set run_name = ?1, user_id = ?2 where id = ?3").setParameter(1, runName)
                .setParameter(2, userId).setParameter(3, r.id).executeUpdate();
        em.createNativeQuery("update sweeps set updated_at = now() where id = ?1").setParameter(1, sweepId)
                .executeUpdate();
        return r.id;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
