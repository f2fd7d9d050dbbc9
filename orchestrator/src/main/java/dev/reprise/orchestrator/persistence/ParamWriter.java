package dev.reprise.orchestrator.persistence;

import static dev.reprise.orchestrator.persistence.AgentReportWriter.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Params logged through the agent, inside the caller's transaction: stored into run_params, immutable once set, and
 * a warning for each params event that tried to change one.
 */
final class ParamWriter {

    /** Why a param logged through the agent was not stored (ingest warnings, with the key and both values). */
    static final String PARAM_CHANGED = "param logged again with another value: params are immutable once "
            + "set, the first value is kept";


    private ParamWriter() {
    }

    /**
     * Stores logged params as the MLflow API's log-parameter does (run_params, immutable once set; a launched run's
     * sweep-given parameters count as set). A key logged again with another value is refused, key by key: the
     * returned warnings say which, and nothing is overwritten. Events are applied in (run, attempt, seq) order, so
     * the first value logged wins; a redelivered event changes nothing and warns once (the warning's identity is
     * the event's seq).
     */
    static List<IngestBatch.Warning> write(Connection c, List<IngestBatch.Params> params) throws SQLException {
        List<IngestBatch.Warning> refused = new ArrayList<>();
        if (params.isEmpty()) {
            return refused;
        }
        Map<Long, Map<?, ?>> given = sweepParameters(c, params.stream().map(IngestBatch.Params::runId).toList());
        List<IngestBatch.Params> ordered = params.stream().sorted(java.util.Comparator
                .comparingLong(IngestBatch.Params::runId).thenComparingInt(IngestBatch.Params::attempt)
                .thenComparingLong(IngestBatch.Params::seq)).toList();
        try (PreparedStatement insert = c.prepareStatement("insert into run_params (run_id, key, value, logged_at) "
                + "select ?, k, v, ? from unnest(?::text[], ?::text[]) as x(k, v) order by k "
                + "on conflict (run_id, key) do nothing");
                PreparedStatement stored = c.prepareStatement(
                        "select key, value from run_params where run_id = ? and key = any(?)")) {
            for (IngestBatch.Params p : ordered) {
                Map<String, String> conflicts = new java.util.TreeMap<>(dev.reprise.orchestrator.domain.mlflow
                        .ParamImmutability.sweepConflicts(given.getOrDefault(p.runId(), Map.of()), p.values()));
                Map<String, String> fresh = new java.util.LinkedHashMap<>(p.values());
                fresh.keySet().removeAll(conflicts.keySet());
                if (!fresh.isEmpty()) {
                    insert.setLong(1, p.runId());
                    insert.setTimestamp(2, timestamp(p.atMillis()));
                    insert.setArray(3, c.createArrayOf("text", fresh.keySet().toArray()));
                    insert.setArray(4, c.createArrayOf("text", fresh.values().toArray()));
                    insert.executeUpdate();
                    stored.setLong(1, p.runId());
                    stored.setArray(2, c.createArrayOf("text", fresh.keySet().toArray()));
                    try (ResultSet rs = stored.executeQuery()) {
                        while (rs.next()) {
                            if (!rs.getString(2).equals(fresh.get(rs.getString(1)))) {
                                conflicts.put(rs.getString(1), rs.getString(2));
                            }
                        }
                    }
                }
                if (!conflicts.isEmpty()) {
                    Map.Entry<String, String> first = conflicts.entrySet().iterator().next();
                    refused.add(new IngestBatch.Warning(p.runId(), p.attempt(), IngestBatch.Source.INGEST, p.seq(),
                            PARAM_CHANGED, conflicts.size(), shorten(first.getKey() + ": kept '" + first.getValue()
                                    + "', refused '" + p.values().get(first.getKey()) + "'"), p.atMillis()));
                }
            }
        }
        return refused;
    }

    /** Each run's sweep-given parameters (empty for runs an MLflow client created: those have none of their own). */
    private static Map<Long, Map<?, ?>> sweepParameters(Connection c, List<Long> runIds) throws SQLException {
        Map<Long, Map<?, ?>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, parameters::text from runs where id = any(?) "
                + "and executor is distinct from 'mlflow'")) {
            ps.setArray(1, c.createArrayOf("bigint", new LinkedHashSet<>(runIds).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        out.put(rs.getLong(1), CanonicalJson.read(rs.getString(2), Map.class));
                    }
                }
            }
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
