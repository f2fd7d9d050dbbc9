package dev.reprise.orchestrator.messaging;

import dev.reprise.orchestrator.domain.security.SecretRedactor;
import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.security.RunTokens;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The secrets a run attempt was given, to mask in its log lines before they are stored: its run token and the
 * values of its sweep's {@code env} variables whose names say they are secret ({@link SecretRedactor#isSecretName}).
 * What a training command prints (the database password it should never have had, an HF token) is stored as
 * {@value SecretRedactor#MASK}. Looked up once per run and cached.
 */
@ApplicationScoped
public class RunSecrets implements RecordDecoder.LineMask {

    private static final Logger LOG = Logger.getLogger(RunSecrets.class);
    private static final int CACHED_RUNS = 10_000;

    private final AgroalDataSource dataSource;
    private final RunTokens tokens;
    private final Map<String, List<String>> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                    return size() > CACHED_RUNS;
                }
            });

    public RunSecrets(AgroalDataSource dataSource, RunTokens tokens) {
        this.dataSource = dataSource;
        this.tokens = tokens;
    }

    @Override
    public String mask(long runId, int attempt, String line) {
        return SecretRedactor.maskValues(line, of(runId, attempt));
    }

    /** The secret values of one run attempt. */
    public List<String> of(long runId, int attempt) {
        return cache.computeIfAbsent(runId + "/" + attempt, k -> {
            List<String> secrets = new ArrayList<>(envSecrets(runId));
            secrets.add(tokens.issue(runId, attempt));
            return List.copyOf(secrets);
        });
    }

    private List<String> envSecrets(long runId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select s.spec from runs r join sweeps s on s.id = r.sweep_id where r.id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return List.of();
                }
                Object spec = CanonicalJson.read(rs.getString(1), Object.class);
                List<String> out = new ArrayList<>();
                if (spec instanceof Map<?, ?> m && m.get("env") instanceof Map<?, ?> env) {
                    env.forEach((k, v) -> {
                        if (v != null && SecretRedactor.isSecretName(String.valueOf(k))) {
                            out.add(String.valueOf(v));
                        }
                    });
                }
                return out;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("cannot read the secrets of run %d: %s", runId, e.getMessage());
            return List.of();
        }
    }
}
