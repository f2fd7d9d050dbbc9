package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.orchestrator.domain.mlflow.MlflowLimits;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import dev.reprise.orchestrator.persistence.mlflow.RunDataWrites;
import dev.reprise.orchestrator.persistence.mlflow.TrackedRunStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MLflow's log-batch (and log-metric, log-parameter, set-tag, which are batches of one): metrics, params and tags
 * of one run within MLflow's limits, all or nothing. Metric points take the agent's exactly-once path
 * ({@link IngestStore#writePoints}), in the request's own transaction.
 */
@ApplicationScoped
public class MlflowLogging {

    private final MlflowAccess access;
    private final TrackedRunStore runStore;
    private final RunDataWrites writes;
    private final IngestStore ingest;

    public MlflowLogging(MlflowAccess access, TrackedRunStore runStore, RunDataWrites writes, IngestStore ingest) {
        this.access = access;
        this.runStore = runStore;
        this.writes = writes;
        this.ingest = ingest;
    }

    /** A metric value to log. */
    public record Metric(String key, double value, long timestampMillis, long step) {
    }

    /**
     * Logs metrics, params and tags of one run in one transaction, within MLflow's limits: all or nothing. Points are
     * deduplicated by their identity (run, attempt, key, step, timestamp), so a retried batch stores nothing twice.
     */
    public void logBatch(Caller caller, String runId, List<Metric> metrics, Map<String, String> params,
            Map<String, String> tags) {
        if (metrics.size() > MlflowLimits.MAX_METRICS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_METRICS_PER_BATCH + " metrics. Got " + metrics.size() + " metrics.");
        }
        if (params.size() > MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH + " params. Got " + params.size() + " params.");
        }
        if (tags.size() > MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH + " tags. Got " + tags.size() + " tags.");
        }
        if (metrics.size() + params.size() + tags.size() > MlflowLimits.MAX_ENTITIES_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most "
                    + MlflowLimits.MAX_ENTITIES_PER_BATCH + " total metrics, params and tags.");
        }
        Set<String> checkedKeys = new HashSet<>();
        for (Metric m : metrics) {
            MlflowChecks.checkMetric(m, checkedKeys);
        }
        params.forEach(MlflowChecks::checkParam);
        tags.forEach((k, v) -> MlflowChecks.checkTag(k, v, MlflowLimits.MAX_TAG_VAL_LENGTH));
        TrackedRun run = access.writableRun(caller, runId);
        int attempt = caller.kind() == Caller.Kind.RUN ? caller.run().attempt() : run.attempt();
        List<IngestBatch.Point> points = new ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            points.add(new IngestBatch.Point(run.id(), attempt, m.key(), m.step(), m.timestampMillis(),
                    m.timestampMillis(), m.value(), false));
        }
        Map<String, String> conflicts = new LinkedHashMap<>();
        Jdbc.sql(() -> {
            try (Connection c = runStore.connection()) {
                Map<String, Integer> keyIds = ingest.resolveKeys(c, points);
                c.setAutoCommit(false);
                try {
                    Map<String, String> differing = writes.writeParams(c, run, params, Instant.now());
                    differing.putAll(sweepParamConflicts(run, params));
                    if (!differing.isEmpty()) {
                        c.rollback();
                        conflicts.putAll(differing);
                        return null;
                    }
                    writes.writeTags(c, run.id(), tags);
                    ingest.writePoints(c, points, keyIds);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
        if (!conflicts.isEmpty()) {
            Map.Entry<String, String> first = conflicts.entrySet().iterator().next();
            throw MlflowException.invalid("Changing param values is not allowed. Param with key='" + first.getKey()
                    + "' was already logged with value='" + first.getValue() + "' for run ID='" + run.id()
                    + "'. Attempted logging new value '" + params.get(first.getKey()) + "'.");
        }
    }

    /** The params a launched run's sweep gave it that the batch would change ("0.01" equals 0.01). */
    private static Map<String, String> sweepParamConflicts(TrackedRun run, Map<String, String> params) {
        if (run.tracking() || params.isEmpty() || run.parametersJson() == null) {
            return new LinkedHashMap<>();
        }
        Map<?, ?> given = dev.reprise.orchestrator.persistence.CanonicalJson.read(run.parametersJson(), Map.class);
        return dev.reprise.orchestrator.domain.mlflow.ParamImmutability.sweepConflicts(given, params);
    }
}
