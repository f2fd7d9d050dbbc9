package dev.reprise.orchestrator.application.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.orchestrator.persistence.IngestBatch;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PointCommitsTest {

    @Test
    void writesConcurrentRequestsInSharedTransactionsAndReturnsOnlyAfterTheirs() throws Exception {
        List<List<Long>> transactions = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        PointCommits commits = new PointCommits(batch -> {
            inFlight.addAndGet(batch.points().size());
            await(release);
            transactions.add(batch.points().stream().map(IngestBatch.Point::runId).distinct().sorted().toList());
            return null;
        });
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (long run = 1; run <= 8; run++) {
                long r = run;
                done.add(callers.submit(() -> commits.commit(points(r, 1000))));
                if (run <= 2) {
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == 1000 * r);
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> commits.queued() == 6);
            assertThat(done).noneMatch(Future::isDone);
            release.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(transactions.stream().flatMap(List::stream).sorted().toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(transactions).as("two groups in flight, then all the waiting ones together").hasSize(3);
    }

    @Test
    void neverPutsMoreThanTenThousandPointsInOneTransaction() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        PointCommits commits = new PointCommits(batch -> {
            await(release);
            sizes.add(batch.points().size());
            return null;
        });
        ExecutorService callers = Executors.newFixedThreadPool(30);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (long run = 1; run <= 30; run++) {
                long r = run;
                done.add(callers.submit(() -> commits.commit(points(r, 1000))));
            }
            release.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(sizes).allMatch(n -> n <= PointCommits.MAX_POINTS);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30_000);
    }

    @Test
    void aRequestTheDatabaseRefusesFailsAloneWhileTheOthersInItsGroupAreStored() throws Exception {
        List<Long> stored = Collections.synchronizedList(new ArrayList<>());
        List<Integer> refusedGroupSizes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        PointCommits commits = new PointCommits(batch -> {
            inFlight.addAndGet(batch.points().size());
            await(release);
            if (batch.points().stream().anyMatch(p -> p.runId() == 3)) {
                refusedGroupSizes.add(batch.points().size());
                throw new PointCommits.Failed(new SQLException("insert or update violates foreign key", "23503"));
            }
            batch.points().stream().map(IngestBatch.Point::runId).distinct().forEach(stored::add);
            return null;
        });
        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (long run = 1; run <= 6; run++) {
                long r = run;
                done.add(callers.submit(() -> commits.commit(points(r, 10))));
                if (run <= 2) {
                    // runs 1 and 2 occupy both writers; 3 to 6 then wait together
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == 10 * r);
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> commits.queued() == 4);
            release.countDown();
            for (int i = 0; i < done.size(); i++) {
                Future<?> f = done.get(i);
                if (i == 2) {
                    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(PointCommits.Failed.class);
                } else {
                    f.get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(stored).containsExactlyInAnyOrder(1L, 2L, 4L, 5L, 6L);
        assertThat(refusedGroupSizes).as("refused with 4, 5 and 6, then alone").containsExactly(40, 10);
    }

    private static List<IngestBatch.Point> points(long run, int n) {
        List<IngestBatch.Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new IngestBatch.Point(run, 0, "loss", i, i, i, 0.5, false));
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
