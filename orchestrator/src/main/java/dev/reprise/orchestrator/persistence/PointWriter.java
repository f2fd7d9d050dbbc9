package dev.reprise.orchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes metric points inside the caller's transaction, idempotently: they are copied ({@code COPY ... (FORMAT
 * binary)}) into a session-local staging table and moved with {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING};
 * the summaries and block rollups are updated from the rows that insert actually returned, and each attempt's last
 * step moves forward only. Used by {@link IngestStore} (the agent path) and the MLflow API's log-batch alike.
 */
final class PointWriter {

    private static final String POINT_STAGE = "ingest_points_stage";

    private static final String CREATE_POINT_STAGE = "create temp table if not exists " + POINT_STAGE
            + " (run_id bigint, key_id integer, step bigint, attempt integer, seq bigint, ts timestamptz,"
            + " value double precision) on commit delete rows";

    /**
     * Moves staged points into metric_points, then folds the rows it really inserted into metric_summaries and
     * metric_rollups ({@link MetricRollups}). The "last" point of a key is the one with the highest
     * (attempt, step, seq); each SET expression reads the old row.
     */
    private static final String MOVE_POINTS = """
            with ins as (
                insert into metric_points (run_id, key_id, step, attempt, seq, ts, value)
                select run_id, key_id, step, attempt, seq, ts, value from ingest_points_stage
                order by run_id, key_id, step, attempt, seq
                on conflict do nothing
                returning run_id, key_id, step, attempt, seq, ts, value
            ), agg as (
                select run_id, key_id, count(*) as n, count(*) filter (where value = 'NaN') as nans,
                       min(value) filter (where value <> 'NaN') as lo, max(value) filter (where value <> 'NaN') as hi
                from ins group by run_id, key_id
            ), last as (
                select distinct on (run_id, key_id) run_id, key_id, attempt, step, seq, value, ts
                from ins order by run_id, key_id, attempt desc, step desc, seq desc
            ), up as (
                insert into metric_summaries as s (run_id, key_id, points, nan_points, last_attempt, last_step,
                                                   last_seq, last_value, last_ts, min_value, max_value)
                select a.run_id, a.key_id, a.n, a.nans, l.attempt, l.step, l.seq, l.value, l.ts, a.lo, a.hi
                from agg a join last l on l.run_id = a.run_id and l.key_id = a.key_id
                order by a.run_id, a.key_id
                on conflict (run_id, key_id) do update set
                    points = s.points + excluded.points,
                    nan_points = s.nan_points + excluded.nan_points,
                    min_value = least(s.min_value, excluded.min_value),
                    max_value = greatest(s.max_value, excluded.max_value),
                    last_attempt = case when %1$s then excluded.last_attempt else s.last_attempt end,
                    last_step = case when %1$s then excluded.last_step else s.last_step end,
                    last_seq = case when %1$s then excluded.last_seq else s.last_seq end,
                    last_value = case when %1$s then excluded.last_value else s.last_value end,
                    last_ts = case when %1$s then excluded.last_ts else s.last_ts end
                returning 1
            ), roll as (
                insert into metric_rollups as r (run_id, key_id, attempt, block, points, lowest, highest)
                %2$s
                order by 1, 2, 3, 4
                on conflict (run_id, key_id, attempt, block) do update set
                    points = r.points + excluded.points,
                    lowest = least(r.lowest, excluded.lowest),
                    highest = greatest(r.highest, excluded.highest)
                returning 1
            )
            select (select count(*) from ins), (select count(*) from up), (select count(*) from roll)
            """.formatted("(excluded.last_attempt, excluded.last_step, excluded.last_seq)"
            + " > (s.last_attempt, s.last_step, s.last_seq)", MetricRollups.ROLLUP_ROWS.formatted("ins"));

    private static final String LAST_STEP = """
            insert into agent_reports as a (run_id, attempt, last_step) values (?, ?, ?)
            on conflict (run_id, attempt) do update set last_step = greatest(a.last_step, excluded.last_step)
            """;

    private PointWriter() {
    }

    static Set<String> distinctKeys(List<IngestBatch.Point> points) {
        Set<String> names = new LinkedHashSet<>();
        for (IngestBatch.Point p : points) {
            names.add(p.key());
        }
        return names;
    }

    /** Stages and moves the points; returns how many were new (the rest were stored before). */
    static long write(Connection c, List<IngestBatch.Point> points, Map<String, Integer> keyIds)
            throws SQLException {
        if (points.isEmpty()) {
            return 0;
        }
        try (var st = c.createStatement()) {
            st.execute(CREATE_POINT_STAGE);
        }
        BinaryCopy copy = BinaryCopy.start(c, POINT_STAGE, "run_id, key_id, step, attempt, seq, ts, value");
        try {
            for (IngestBatch.Point p : points) {
                copy.row(7).int8(p.runId()).int4(keyIds.get(p.key())).int8(p.step()).int4(p.attempt())
                        .int8(p.seq()).timestampMillis(p.timestampMillis()).float8(p.value());
            }
            copy.finish();
        } catch (SQLException | RuntimeException e) {
            copy.cancel();
            throw e;
        }
        try (PreparedStatement move = c.prepareStatement(MOVE_POINTS); ResultSet rs = move.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The highest step of the user's (not system) keys per attempt. */
    static void writeLastSteps(Connection c, List<IngestBatch.Point> points) throws SQLException {
        Map<List<Long>, Long> highest = new HashMap<>();
        for (IngestBatch.Point p : points) {
            if (!p.system()) {
                highest.merge(List.of(p.runId(), (long) p.attempt()), p.step(), Math::max);
            }
        }
        if (highest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(LAST_STEP)) {
            for (Map.Entry<List<Long>, Long> e : highest.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.<List<Long>, Long>comparing(k -> k.get(0))
                            .thenComparing(k -> k.get(1))))
                    .toList()) {
                ps.setLong(1, e.getKey().get(0));
                ps.setInt(2, e.getKey().get(1).intValue());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
