package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.RunHeaders;
import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricKeys;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.ParamRules;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.RunEventType;
import dev.reprise.orchestrator.persistence.IngestBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns polled Kafka records into what one ingest transaction writes, in two pure steps: {@link #decode} parses each
 * record on its own (a record that does not parse is poison, never an exception), and {@link #translate} validates
 * the decoded messages of known runs into an {@link IngestBatch}, sending the rest to the dead-letter list.
 */
public final class RecordDecoder {

    /** Decides whether a run token (null when the record has none) is the one of the run attempt. */
    @FunctionalInterface
    public interface RunTokenCheck {
        boolean accepts(String token, long runId, int attempt);

        RunTokenCheck ACCEPT_ALL = (token, runId, attempt) -> true;
    }

    /** Rewrites a log line of a run attempt before it is stored (masks the run's own secrets). */
    @FunctionalInterface
    public interface LineMask {
        String mask(long runId, int attempt, String line);

        LineMask NONE = (runId, attempt, line) -> line;
    }

    private final MessageCodec codec = new MessageCodec();
    private final String metricsTopic;
    private final RunTokenCheck tokens;
    private final LineMask mask;

    /** A decoder that does not check run tokens (unit tests of the message rules). */
    public RecordDecoder(String metricsTopic) {
        this(metricsTopic, RunTokenCheck.ACCEPT_ALL);
    }

    public RecordDecoder(String metricsTopic, RunTokenCheck tokens) {
        this(metricsTopic, tokens, LineMask.NONE);
    }

    public RecordDecoder(String metricsTopic, RunTokenCheck tokens, LineMask mask) {
        this.metricsTopic = metricsTopic;
        this.tokens = tokens;
        this.mask = mask;
    }

    /** One polled record after parsing. */
    public sealed interface Decoded {
        ConsumerRecord<byte[], byte[]> record();

        /** A metric batch whose record key matches its run id. */
        record Batch(ConsumerRecord<byte[], byte[]> record, MetricBatch batch) implements Decoded {
        }

        /**
         * A run event whose record key matches its run id; {@code rank} is the reporting agent's node rank
         * ({@link RunHeaders#RANK}), null for an agent of an ordinary trial.
         */
        record Event(ConsumerRecord<byte[], byte[]> record, RunEvent event, Integer rank) implements Decoded {
        }

        /** A record that cannot be processed at all. */
        record Poison(ConsumerRecord<byte[], byte[]> record, DeadLetter letter) implements Decoded {
        }

        /** The run the message is about; -1 for poison. */
        default long runId() {
            if (this instanceof Batch b) {
                return b.batch().runId();
            }
            if (this instanceof Event e) {
                return e.event().runId();
            }
            return -1;
        }
    }

    /** The batch to write and the records to dead-letter. */
    public record Translation(IngestBatch batch, List<DeadLetter> deadLetters) {
    }

    public Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return poison(record, DeadLetter.Kind.MALFORMED, "empty record value");
        }
        try {
            if (record.topic().equals(metricsTopic)) {
                MetricBatch batch = codec.decodeMetricBatch(record.value());
                return keyMismatch(record, batch.runId())
                        .or(() -> unauthenticated(record, batch.runId(), batch.attempt()))
                        .or(() -> notRankZero(record, "metrics"))
                        .orElseGet(() -> checked(record, batch));
            }
            RunEvent event = codec.decodeRunEvent(record.value());
            return keyMismatch(record, event.runId())
                    .or(() -> unauthenticated(record, event.runId(), event.attempt()))
                    .or(() -> event instanceof RunEvent.ParamsLogged ? notRankZero(record, "params")
                            : badRank(record))
                    .orElseGet(() -> checked(record, event, rank(record)));
        } catch (MessageCodec.MessageFormatException e) {
            return poison(record, DeadLetter.Kind.MALFORMED, e.getMessage());
        } catch (RuntimeException e) {
            return poison(record, DeadLetter.Kind.MALFORMED, "cannot decode: " + e);
        }
    }

    /**
     * Validates the decoded messages of {@code knownRuns} into one batch; poison and messages of other runs become
     * dead letters. Refused points are counted per (run, attempt, batch seq, reason) as ingest warnings.
     */
    public Translation translate(List<Decoded> decoded, Set<Long> knownRuns) {
        Builder b = new Builder(mask);
        for (Decoded d : decoded) {
            if (d instanceof Decoded.Poison p) {
                b.deadLetters.add(p.letter());
            } else if (!knownRuns.contains(d.runId())) {
                b.deadLetters.add(new DeadLetter(d.record(), DeadLetter.Kind.UNKNOWN_RUN,
                        "run " + d.runId() + " does not exist"));
            } else if (d instanceof Decoded.Batch batch) {
                b.add(batch.batch());
            } else if (d instanceof Decoded.Event event) {
                if (event.rank() == null || event.rank() == 0) {
                    b.add(event.event());
                } else {
                    b.addOfRank(event.event(), event.rank());
                }
                if (event.rank() != null) {
                    b.addRankReport(event.event(), event.rank());
                }
            }
        }
        return new Translation(new IngestBatch(b.points, b.lines, b.starts, b.heartbeats, b.finishes, b.warnings(),
                b.params, b.rankReports),
                b.deadLetters);
    }

    private static Optional<Decoded> keyMismatch(ConsumerRecord<byte[], byte[]> record, long runId) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (key == null || !key.equals(Long.toString(runId))) {
            return Optional.of(poison(record, DeadLetter.Kind.KEY_MISMATCH,
                    "record key " + (key == null ? "null" : "'" + abbreviate(key) + "'") + " is not the run id "
                            + runId));
        }
        return Optional.empty();
    }

    /** A report must carry the run token of its own run attempt: one agent cannot write for another run. */
    private Optional<Decoded> unauthenticated(ConsumerRecord<byte[], byte[]> record, long runId, int attempt) {
        org.apache.kafka.common.header.Header header = record.headers() == null ? null
                : record.headers().lastHeader(RunHeaders.RUN_TOKEN);
        String token = header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
        if (tokens.accepts(token, runId, attempt)) {
            return Optional.empty();
        }
        return Optional.of(poison(record, DeadLetter.Kind.UNAUTHENTICATED, token == null
                ? "no run token (header " + RunHeaders.RUN_TOKEN + ")"
                : "the run token is not the one of run " + runId + " attempt " + attempt));
    }

    /** The {@link RunHeaders#RANK} of a record: null without the header, -1 for a value that is not a rank. */
    static Integer rank(ConsumerRecord<byte[], byte[]> record) {
        org.apache.kafka.common.header.Header header = record.headers() == null ? null
                : record.headers().lastHeader(RunHeaders.RANK);
        if (header == null) {
            return null;
        }
        return RunHeaders.parseRank(header.value()).orElse(-1);
    }

    private static Optional<Decoded> badRank(ConsumerRecord<byte[], byte[]> record) {
        Integer rank = rank(record);
        return rank != null && rank < 0 ? Optional.of(poison(record, DeadLetter.Kind.MALFORMED, "header "
                + RunHeaders.RANK + " is not a rank (0 to " + RunHeaders.MAX_RANK + ")")) : Optional.empty();
    }

    /** Only rank 0 reports a run's metrics and params: another rank's would be mixed into the run's. */
    private static Optional<Decoded> notRankZero(ConsumerRecord<byte[], byte[]> record, String what) {
        Integer rank = rank(record);
        if (rank == null || rank == 0) {
            return Optional.empty();
        }
        return badRank(record).or(() -> Optional.of(poison(record, DeadLetter.Kind.MALFORMED, what + " of rank "
                + rank + ": only rank 0 reports a distributed run's " + what)));
    }

    /** Contract checks that would otherwise fail in the database, for the whole message. */
    private static Decoded checked(ConsumerRecord<byte[], byte[]> record, MetricBatch batch) {
        if (batch.runId() < 0 || batch.attempt() < 0) {
            return poison(record, DeadLetter.Kind.MALFORMED, "negative run id or attempt");
        }
        return new Decoded.Batch(record, batch);
    }

    private static Decoded checked(ConsumerRecord<byte[], byte[]> record, RunEvent event, Integer rank) {
        if (event.runId() < 0 || event.attempt() < 0 || event.seq() < 0) {
            return poison(record, DeadLetter.Kind.MALFORMED, "negative run id, attempt or seq");
        }
        Optional<String> problem = switch (RunEventType.of(event)) {
            case STARTED -> time(((RunEvent.Started) event).startedAtMillis());
            case HEARTBEAT -> time(((RunEvent.Heartbeat) event).atMillis());
            case LOG_CHUNK -> ((RunEvent.LogChunk) event).firstLine() < 0 ? Optional.of("negative firstLine")
                    : Optional.empty();
            case FINISHED -> time(((RunEvent.Finished) event).finishedAtMillis());
            case METRIC_WARNING -> ((RunEvent.MetricWarning) event).count() <= 0
                    ? Optional.of("warning count must be positive")
                    : time(((RunEvent.MetricWarning) event).atMillis());
            case PARAMS_LOGGED -> {
                RunEvent.ParamsLogged p = (RunEvent.ParamsLogged) event;
                yield p.params().isEmpty() || p.params().size() > RunEvent.ParamsLogged.MAX_PARAMS
                        ? Optional.of("between 1 and " + RunEvent.ParamsLogged.MAX_PARAMS + " params per event")
                        : time(p.atMillis());
            }
        };
        return problem.<Decoded>map(p -> poison(record, DeadLetter.Kind.MALFORMED, event.getClass().getSimpleName()
                + ": " + p)).orElseGet(() -> new Decoded.Event(record, event, rank));
    }

    private static Optional<String> time(long epochMillis) {
        return PointRules.validTimestamp(epochMillis) ? Optional.empty()
                : Optional.of(PointRules.TIMESTAMP_OUT_OF_RANGE);
    }

    private static Decoded poison(ConsumerRecord<byte[], byte[]> record, DeadLetter.Kind kind, String reason) {
        return new Decoded.Poison(record, new DeadLetter(record, kind, reason));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** PostgreSQL text cannot hold NUL; it becomes U+FFFD. */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static final class Builder {
        final LineMask mask;

        Builder(LineMask mask) {
            this.mask = mask;
        }

        final List<IngestBatch.Point> points = new ArrayList<>();
        final List<IngestBatch.LogLine> lines = new ArrayList<>();
        final List<RunEvent.Started> starts = new ArrayList<>();
        final List<RunEvent.Heartbeat> heartbeats = new ArrayList<>();
        final List<RunEvent.Finished> finishes = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<IngestBatch.Warning> agentWarnings = new ArrayList<>();
        final List<IngestBatch.Params> params = new ArrayList<>();
        final List<IngestBatch.RankReport> rankReports = new ArrayList<>();
        /** Refusals by (run, attempt, batch seq, reason), with the first refused key as the example. */
        final Map<List<Object>, IngestBatch.Warning> refusals = new LinkedHashMap<>();

        void add(MetricBatch batch) {
            long now = System.currentTimeMillis();
            for (MetricPoint p : batch.points()) {
                Optional<String> rejection = PointRules.rejection(p);
                if (rejection.isEmpty()) {
                    points.add(new IngestBatch.Point(batch.runId(), batch.attempt(), p.key(), p.step(), p.seq(),
                            p.timestampMillis(), p.value(), false));
                } else {
                    refusals.merge(List.of(batch.runId(), batch.attempt(), batch.batchSeq(), rejection.get()),
                            new IngestBatch.Warning(batch.runId(), batch.attempt(), IngestBatch.Source.INGEST,
                                    batch.batchSeq(), rejection.get(), 1, MetricKeys.printable(p.key()), now),
                            (a, b) -> new IngestBatch.Warning(a.runId(), a.attempt(), a.source(), a.originSeq(),
                                    a.reason(), a.count() + 1, a.example(), a.atMillis()));
                }
            }
        }

        void add(RunEvent event) {
            switch (RunEventType.of(event)) {
                case STARTED -> {
                    RunEvent.Started s = (RunEvent.Started) event;
                    starts.add(new RunEvent.Started(s.runId(), s.attempt(), s.seq(), text(s.agentId()), s.pid(),
                            text(s.hostname()), s.command().stream().map(RecordDecoder::text).toList(),
                            text(s.agentVersion()), s.startedAtMillis()));
                }
                case HEARTBEAT -> {
                    RunEvent.Heartbeat h = (RunEvent.Heartbeat) event;
                    heartbeats.add(h);
                    points.addAll(SystemMetrics.points(h));
                }
                case LOG_CHUNK -> {
                    RunEvent.LogChunk l = (RunEvent.LogChunk) event;
                    int stream = l.stream() == LogStream.STDOUT ? 1 : 2;
                    for (int i = 0; i < l.lines().size(); i++) {
                        String line = l.lines().get(i);
                        lines.add(new IngestBatch.LogLine(l.runId(), l.attempt(), stream, l.firstLine() + i, l.seq(),
                                line == null ? "" : mask.mask(l.runId(), l.attempt(), text(line))));
                    }
                }
                case FINISHED -> {
                    RunEvent.Finished f = (RunEvent.Finished) event;
                    finishes.add(new RunEvent.Finished(f.runId(), f.attempt(), f.seq(), f.exitCode(), f.reason(),
                            f.signal(), f.finishedAtMillis(), text(f.message())));
                }
                case METRIC_WARNING -> {
                    RunEvent.MetricWarning w = (RunEvent.MetricWarning) event;
                    agentWarnings.add(new IngestBatch.Warning(w.runId(), w.attempt(), IngestBatch.Source.AGENT,
                            w.seq(), text(w.reason()), w.count(), text(w.example()), w.atMillis()));
                }
                case PARAMS_LOGGED -> add((RunEvent.ParamsLogged) event);
            }
        }

        /**
         * An event of a distributed trial's rank other than 0: its log lines are stored under its rank and its
         * warnings say the rank; its started, heartbeat and finished events count only for the rank
         * ({@link #addRankReport}), never for the run (whose metrics, heartbeat and exit are rank 0's).
         */
        void addOfRank(RunEvent event, int rank) {
            switch (RunEventType.of(event)) {
                case LOG_CHUNK -> {
                    RunEvent.LogChunk l = (RunEvent.LogChunk) event;
                    int stream = l.stream() == LogStream.STDOUT ? 1 : 2;
                    for (int i = 0; i < l.lines().size(); i++) {
                        String line = l.lines().get(i);
                        lines.add(new IngestBatch.LogLine(l.runId(), l.attempt(), stream, l.firstLine() + i, l.seq(),
                                line == null ? "" : mask.mask(l.runId(), l.attempt(), text(line)), rank));
                    }
                }
                case METRIC_WARNING -> {
                    RunEvent.MetricWarning w = (RunEvent.MetricWarning) event;
                    agentWarnings.add(new IngestBatch.Warning(w.runId(), w.attempt(), IngestBatch.Source.AGENT,
                            w.seq(), "rank " + rank + ": " + text(w.reason()), w.count(), text(w.example()),
                            w.atMillis()));
                }
                case STARTED, HEARTBEAT, FINISHED, PARAMS_LOGGED -> {
                    // per rank only (params of a rank other than 0 never get here: dead-lettered at decoding)
                }
            }
        }

        /** A distributed trial's agent's started, heartbeat or finished event, kept for its rank. */
        void addRankReport(RunEvent event, int rank) {
            switch (RunEventType.of(event)) {
                case STARTED -> {
                    RunEvent.Started s = (RunEvent.Started) event;
                    rankReports.add(new IngestBatch.RankReport(rank, new RunEvent.Started(s.runId(), s.attempt(),
                            s.seq(), text(s.agentId()), s.pid(), text(s.hostname()),
                            s.command().stream().map(RecordDecoder::text).toList(), text(s.agentVersion()),
                            s.startedAtMillis())));
                }
                case HEARTBEAT -> rankReports.add(new IngestBatch.RankReport(rank, event));
                case FINISHED -> {
                    RunEvent.Finished f = (RunEvent.Finished) event;
                    rankReports.add(new IngestBatch.RankReport(rank, new RunEvent.Finished(f.runId(), f.attempt(),
                            f.seq(), f.exitCode(), f.reason(), f.signal(), f.finishedAtMillis(), text(f.message()))));
                }
                case LOG_CHUNK, METRIC_WARNING, PARAMS_LOGGED -> {
                    // not per-rank reports
                }
            }
        }

        /** The params MLflow's rules accept (an agent checks them first; an older or foreign one may not). */
        private void add(RunEvent.ParamsLogged event) {
            Map<String, String> accepted = new LinkedHashMap<>();
            Map<String, IngestBatch.Warning> refused = new LinkedHashMap<>();
            event.params().forEach((key, value) -> {
                String v = text(value);
                Optional<String> rejection = ParamRules.rejection(key, v);
                if (rejection.isEmpty()) {
                    accepted.put(key, v);
                } else {
                    refused.merge(rejection.get(), new IngestBatch.Warning(event.runId(), event.attempt(),
                            IngestBatch.Source.INGEST, event.seq(), rejection.get(), 1, MetricKeys.printable(key),
                            event.atMillis()), (a, b) -> new IngestBatch.Warning(a.runId(), a.attempt(), a.source(),
                            a.originSeq(), a.reason(), a.count() + 1, a.example(), a.atMillis()));
                }
            });
            if (!accepted.isEmpty()) {
                params.add(new IngestBatch.Params(event.runId(), event.attempt(), event.seq(), accepted,
                        event.atMillis()));
            }
            refused.forEach((reason, w) -> refusals.put(
                    List.of(event.runId(), event.attempt(), "params", event.seq(), reason), w));
        }

        List<IngestBatch.Warning> warnings() {
            List<IngestBatch.Warning> all = new ArrayList<>(agentWarnings);
            all.addAll(refusals.values());
            return all;
        }
    }
}
