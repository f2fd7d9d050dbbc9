package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.metrics.Downsampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.messaging.TestRuns;
import dev.reprise.orchestrator.persistence.MetricsQuery.Series;
import dev.reprise.orchestrator.persistence.MetricsQuery.SeriesPoint;
import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import dev.reprise.orchestrator.persistence.MetricRollups;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Block rollups written by the real ingest ({@link IngestStore}) against the raw points in PostgreSQL: the series
 * query answers every range exactly as a pass over the raw points with the same buckets would, whatever order and
 * however often the points arrived, and the attempts of a run never mix.
 */
@QuarkusTest
class SeriesFromRollupsTest {

    private static final String KEY = "prop/loss";
    private static final String OTHER_KEY = "prop/acc";

    @Inject
    IngestStore store;

    @Inject
    MetricsQuery query;

    @Inject
    MetricRollups rollups;

    @Inject
    AgroalDataSource dataSource;

    /** A point as the test generated it. */
    private record Generated(int attempt, String key, long step, long seq, long millis, double value) {
    }

    @Test
    void answersRandomRangesAndBucketCountsFromRollupsExactlyAsFromTheRawPoints() throws SQLException {
        Random random = new Random(20261126);
        long run = TestRuns.create();
        List<Generated> points = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            points.addAll(series(random, attempt, KEY, 6000));
            points.addAll(series(random, attempt, OTHER_KEY, 500));
        }
        deliverShuffledWithRedeliveries(random, run, points);

        int wholeBlockAnswers = 0;
        for (int i = 0; i < 200; i++) {
            int attempt = random.nextInt(2);
            Long from = random.nextInt(5) == 0 ? null : (long) random.nextInt(50_000);
            Long to = random.nextInt(5) == 0 ? null : (from == null ? 0 : from) + random.nextInt(60_000);
            int maxPoints = random.nextInt(4) == 0 ? 2 + random.nextInt(10) : 2 + random.nextInt(400);
            List<Generated> inRange = points.stream()
                    .filter(p -> p.attempt() == attempt && p.key().equals(KEY))
                    .filter(p -> (from == null || p.step() >= from) && (to == null || p.step() <= to))
                    .sorted(Comparator.comparingLong(Generated::step).thenComparingLong(Generated::seq))
                    .toList();
            Series series = query.series(run, KEY, attempt, from, to, maxPoints).orElseThrow();
            String what = "attempt " + attempt + ", steps " + from + " to " + to + ", max " + maxPoints;
            assertThat(series.total()).as(what).isEqualTo(inRange.size());
            if (inRange.size() <= maxPoints) {
                assertThat(series.downsampled()).as(what).isFalse();
                assertThat(series.points()).as(what).isEqualTo(inRange.stream().map(SeriesFromRollupsTest::point)
                        .toList());
                continue;
            }
            long first = inRange.get(0).step();
            long last = inRange.get(inRange.size() - 1).step();
            var wholeBlocks = Downsampling.inWholeBlocks(first, last, maxPoints, MetricRollups.BLOCK_SHIFT);
            Downsampling plan = wholeBlocks.isPresent() ? wholeBlocks.get() : Downsampling.of(first, last, maxPoints);
            wholeBlockAnswers += wholeBlocks.isPresent() ? 1 : 0;
            assertThat(series.downsampled()).as(what).isTrue();
            assertThat(series.points()).as(what).hasSizeLessThanOrEqualTo(maxPoints)
                    .isEqualTo(minMax(inRange, plan));
        }
        assertThat(wholeBlockAnswers).as("answers read from the rollups").isGreaterThan(40);
        assertThat(storedRollups(run)).isEqualTo(rollupsOfStoredPoints(run));
    }

    @Test
    void leavesTheRollupsUnchangedWhenABatchIsDeliveredAgain() throws SQLException {
        long run = TestRuns.create();
        List<IngestBatch.Point> first = new ArrayList<>();
        List<IngestBatch.Point> more = new ArrayList<>();
        for (int step = 0; step < 500; step++) {
            first.add(new IngestBatch.Point(run, 0, KEY, step, step, 1_000L * step, Math.sin(step), false));
            more.add(new IngestBatch.Point(run, 0, KEY, step + 250, step + 250, 1_000L * step, -step, false));
        }
        store.write(batch(first));
        List<String> once = storedRollups(run);
        assertThat(store.write(batch(first)).pointsStored()).isZero();
        assertThat(storedRollups(run)).isEqualTo(once);
        // half of these were stored already
        assertThat(store.write(batch(more)).pointsStored()).isEqualTo(250);
        assertThat(storedRollups(run)).isEqualTo(rollupsOfStoredPoints(run));
        assertThat(query.series(run, KEY, 0, null, null, 100).orElseThrow().total()).isEqualTo(750);
    }

    @Test
    void keepsTheRollupsOfEachAttemptApart() throws SQLException {
        long run = TestRuns.create();
        List<IngestBatch.Point> points = new ArrayList<>();
        for (int step = 0; step < 10_000; step++) {
            points.add(new IngestBatch.Point(run, 0, KEY, step, step, 1_000L * step, 1, false));
            points.add(new IngestBatch.Point(run, 1, KEY, step, step, 1_000L * step, step == 7777 ? 9 : 2, false));
        }
        store.write(batch(points));
        Series zero = query.series(run, KEY, 0, null, null, 20).orElseThrow();
        Series one = query.series(run, KEY, 1, null, null, 20).orElseThrow();
        assertThat(zero.total()).isEqualTo(10_000);
        assertThat(zero.points()).extracting(SeriesPoint::value).containsOnly(1.0);
        assertThat(one.total()).isEqualTo(10_000);
        assertThat(one.points()).extracting(SeriesPoint::value).containsOnly(2.0, 9.0);
        assertThat(one.points()).anySatisfy(p -> assertThat(p.step()).isEqualTo(7777));
        assertThat(storedRollups(run)).isEqualTo(rollupsOfStoredPoints(run));
        rollups.rebuild(run);
        assertThat(storedRollups(run)).isEqualTo(rollupsOfStoredPoints(run)).hasSize(2 * 157);
    }

    /**
     * A key's points in one attempt: steps mostly consecutive, sometimes repeated (a second seq), sometimes with
     * gaps; values with ties (rounded), NaN, infinities, zero and negative zero, so the order's tie-breaks count.
     */
    private static List<Generated> series(Random random, int attempt, String key, int count) {
        List<Generated> out = new ArrayList<>();
        long step = random.nextInt(200);
        for (int seq = 0; seq < count; seq++) {
            int r = random.nextInt(100);
            step += r < 70 ? 1 : r < 80 ? 0 : r < 90 ? 3 : r < 98 ? 10 : 300;
            int kind = random.nextInt(200);
            double value = switch (kind) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> -0.0;
                case 4 -> 0.0;
                default -> Math.round(random.nextGaussian() * 20) / 10.0;
            };
            out.add(new Generated(attempt, key, step, seq, 1_700_000_000_000L + step * 10 + random.nextInt(10),
                    value));
        }
        return out;
    }

    /** In batches of up to 500 in random order; a fifth of them delivered again, some mixed with new points. */
    private void deliverShuffledWithRedeliveries(Random random, long run, List<Generated> points)
            throws SQLException {
        List<IngestBatch.Point> shuffled = new ArrayList<>(points.stream()
                .map(g -> new IngestBatch.Point(run, g.attempt(), g.key(), g.step(), g.seq(), g.millis(), g.value(),
                        false))
                .toList());
        Collections.shuffle(shuffled, random);
        List<IngestBatch.Point> previous = List.of();
        for (int i = 0; i < shuffled.size(); i += 500) {
            List<IngestBatch.Point> chunk = shuffled.subList(i, Math.min(shuffled.size(), i + 500));
            store.write(batch(chunk));
            if (random.nextInt(5) == 0) {
                store.write(batch(chunk));
            }
            if (!previous.isEmpty() && random.nextInt(5) == 0) {
                List<IngestBatch.Point> mixed = new ArrayList<>(previous.subList(0, previous.size() / 2));
                mixed.addAll(chunk.subList(chunk.size() / 2, chunk.size()));
                store.write(batch(mixed));
            }
            previous = chunk;
        }
    }

    private static IngestBatch batch(List<IngestBatch.Point> points) {
        return new IngestBatch(points, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** What a pass over the raw points gives: per bucket the lowest and highest point, in step order. */
    private static List<SeriesPoint> minMax(List<Generated> inRange, Downsampling plan) {
        TreeMap<Integer, Generated[]> buckets = new TreeMap<>();
        for (Generated p : inRange) {
            Generated[] lowHigh = buckets.computeIfAbsent(plan.bucket(p.step()), b -> new Generated[] {p, p});
            if (POSTGRES_ORDER.compare(p, lowHigh[0]) < 0) {
                lowHigh[0] = p;
            }
            if (POSTGRES_ORDER.compare(p, lowHigh[1]) > 0) {
                lowHigh[1] = p;
            }
        }
        List<SeriesPoint> out = new ArrayList<>();
        for (Generated[] lowHigh : buckets.values()) {
            Generated low = lowHigh[0];
            Generated high = lowHigh[1];
            if (low == high) {
                out.add(point(low));
            } else if (low.step() < high.step() || low.step() == high.step() && low.seq() < high.seq()) {
                out.add(point(low));
                out.add(point(high));
            } else {
                out.add(point(high));
                out.add(point(low));
            }
        }
        return out;
    }

    /** PostgreSQL's float8 order (NaN above everything, -0 = 0), then step, then seq. */
    private static final Comparator<Generated> POSTGRES_ORDER = Comparator
            .comparing(Generated::value, SeriesFromRollupsTest::compareFloat8)
            .thenComparingLong(Generated::step).thenComparingLong(Generated::seq);

    private static int compareFloat8(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static SeriesPoint point(Generated g) {
        return new SeriesPoint(g.step(), g.seq(), g.value(), Instant.ofEpochMilli(g.millis()));
    }

    private List<String> storedRollups(long run) throws SQLException {
        return rows("select key_id, attempt, block, points, lowest::text, highest::text from metric_rollups"
                + " where run_id = ? order by 1, 2, 3", run);
    }

    private List<String> rollupsOfStoredPoints(long run) throws SQLException {
        String point = MetricRollups.POINT;
        return rows("select key_id, attempt, step >> " + MetricRollups.BLOCK_SHIFT + ", count(*), min(" + point
                + ")::text, max(" + point + ")::text from metric_points where run_id = ? group by 1, 2, 3"
                + " order by 1, 2, 3", run);
    }

    private List<String> rows(String sql, long run) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.append(rs.getString(i)).append(' ');
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }
}
