package dev.reprise.orchestrator.messaging;

import dev.reprise.orchestrator.domain.security.SecretRedactor;
import dev.reprise.orchestrator.persistence.ProjectSecrets;
import dev.reprise.orchestrator.persistence.RunEnvQuery;
import dev.reprise.orchestrator.security.RunTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The secrets a run attempt was given, to mask in its log lines before they are stored: its run token and the
 * values of its sweep's {@code env} variables whose names say they are secret ({@link SecretRedactor#isSecretName}),
 * and the values its sweep takes from the local secret store ({@code env: {HF_TOKEN: {secret: …, key: …}}}).
 * What a training command prints (the database password it should never have had, an HF token) is stored as
 * {@value SecretRedactor#MASK}. Looked up once per run and cached.
 */
@ApplicationScoped
public class RunSecrets implements RecordDecoder.LineMask {

    private static final Logger LOG = Logger.getLogger(RunSecrets.class);
    private static final int CACHED_RUNS = 10_000;

    private final RunEnvQuery env;
    private final RunTokens tokens;
    private final ProjectSecrets store;
    private final Map<String, List<String>> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                    return size() > CACHED_RUNS;
                }
            });

    public RunSecrets(RunEnvQuery env, RunTokens tokens, ProjectSecrets store) {
        this.env = env;
        this.tokens = tokens;
        this.store = store;
    }

    @Override
    public String mask(long runId, int attempt, String line) {
        return SecretRedactor.mask(line, of(runId, attempt));
    }

    /** The secret values of one run attempt. */
    public List<String> of(long runId, int attempt) {
        String key = runId + "/" + attempt;
        List<String> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(tokens.issue(runId, attempt));
        boolean read = envSecrets(runId, secrets);
        List<String> all = List.copyOf(secrets);
        if (read) {
            // a failed lookup is tried again with the next line rather than remembered as "no secrets"
            cache.put(key, all);
        }
        return all;
    }

    private boolean envSecrets(long runId, List<String> out) {
        try {
            env.sweepEnvOf(runId).forEach((name, value) -> {
                if (SecretRedactor.isSecretName(name)) {
                    out.add(value);
                }
            });
            out.addAll(store.valuesOf(runId));
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("cannot read the secrets of run %d: %s", runId, e.getMessage());
            return false;
        }
    }
}
