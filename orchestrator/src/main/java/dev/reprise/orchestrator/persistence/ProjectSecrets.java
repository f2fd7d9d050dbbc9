package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.spec.SecretRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The local secret store (table project_secrets): named secrets of a project, each a few keys and their values.
 * Values leave this class only towards a trial's environment ({@link #resolve}) and the log masking
 * ({@link #valuesOf}); what the API shows is {@link Stored}, names and keys.
 */
@ApplicationScoped
public class ProjectSecrets {

    /** A secret as the API may show it: never its values. */
    public record Stored(String project, String name, List<String> keys, Instant createdAt, String createdBy,
            Instant updatedAt, String updatedBy) {
    }

    private final EntityManager em;
    private final AgroalDataSource dataSource;

    public ProjectSecrets(EntityManager em, AgroalDataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** Creates or replaces the secret (in the caller's transaction); true when it existed. */
    public boolean put(String project, String name, Map<String, String> data, String by) {
        Instant now = Instant.now();
        boolean existed = !em.createNativeQuery("select 1 from project_secrets where project = ?1 and name = ?2 "
                + "for update").setParameter(1, project).setParameter(2, name).getResultList().isEmpty();
        em.createNativeQuery("insert into project_secrets (project, name, data, created_at, created_by, updated_at, "
                + "updated_by) values (?1, ?2, ?3, ?4, ?5, ?4, ?5) on conflict (project, name) do update set "
                + "data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
                .setParameter(1, project).setParameter(2, name).setParameter(3, CanonicalJson.write(new TreeMap<>(data)))
                .setParameter(4, now).setParameter(5, by).executeUpdate();
        return existed;
    }

    /** Removes the secret; false when there was none. */
    public boolean remove(String project, String name) {
        return em.createNativeQuery("delete from project_secrets where project = ?1 and name = ?2")
                .setParameter(1, project).setParameter(2, name).executeUpdate() > 0;
    }

    /** The project's secrets by name, with their keys. */
    @SuppressWarnings("unchecked")
    public List<Stored> list(String project) {
        List<Object[]> rows = em.createNativeQuery("select project, name, data, created_at, created_by, updated_at, "
                + "updated_by from project_secrets where project = ?1 order by name").setParameter(1, project)
                .getResultList();
        return rows.stream().map(r -> new Stored((String) r[0], (String) r[1],
                List.copyOf(data((String) r[2]).keySet()), MemberRepository.instant(r[3]), (String) r[4],
                MemberRepository.instant(r[5]), (String) r[6])).toList();
    }

    /** Whether the project's secret {@code ref.secret()} has the key {@code ref.key()}. */
    public boolean has(String project, SecretRef ref) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select data from project_secrets where project = ?1 and name = ?2")
                .setParameter(1, project).setParameter(2, ref.secret()).getResultList();
        return !rows.isEmpty() && data(rows.get(0)).containsKey(ref.key());
    }

    /**
     * The values of the references, by variable name, read outside any transaction (at a trial's launch). A
     * reference to a missing secret or key is absent from the answer.
     */
    public Map<String, String> resolve(String project, Map<String, SecretRef> refs) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (refs.isEmpty()) {
            return out;
        }
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select data from project_secrets where project = ? and name = ?")) {
            for (Map.Entry<String, SecretRef> e : refs.entrySet()) {
                Map<String, String> data = secrets.get(e.getValue().secret());
                if (data == null) {
                    ps.setString(1, project);
                    ps.setString(2, e.getValue().secret());
                    try (ResultSet rs = ps.executeQuery()) {
                        data = rs.next() ? data(rs.getString(1)) : Map.of();
                    }
                    secrets.put(e.getValue().secret(), data);
                }
                Optional.ofNullable(data.get(e.getValue().key())).ifPresent(v -> out.put(e.getKey(), v));
            }
        }
        return out;
    }

    /** The values the run's sweep takes from the store, for masking its log lines; empty when it names none. */
    public List<String> valuesOf(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select p.name, s.spec from runs r join sweeps s on s.id = r.sweep_id join projects p "
                        + "on p.id = s.project_id where r.id = ?")) {
            ps.setLong(1, runId);
            Map<String, SecretRef> refs = new LinkedHashMap<>();
            String project;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                project = rs.getString(1);
                if (rs.getString(2) != null && CanonicalJson.read(rs.getString(2), Object.class) instanceof Map<?, ?> spec
                        && spec.get("env") instanceof Map<?, ?> vars) {
                    vars.forEach((k, v) -> {
                        if (v instanceof Map<?, ?> ref && ref.get("secret") instanceof String s
                                && ref.get("key") instanceof String key) {
                            refs.put(String.valueOf(k), new SecretRef(s, key));
                        }
                    });
                }
            }
            return new ArrayList<>(resolve(project, refs).values());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> data(String json) {
        return new TreeMap<>(CanonicalJson.read(json, TreeMap.class));
    }
}
