-- Metrics ingest: per-key summaries, what each agent reported about its attempt, shipped log lines, and the input
-- the ingest refused. Every table is written idempotently, so a redelivered Kafka message changes nothing.

-- One row per (run, key), maintained from the points the ingest actually stored (INSERT ... RETURNING), so a
-- redelivered point never counts twice. "last" is the point with the highest (attempt, step, seq); min and max
-- leave NaN out (null while a key has only NaN values); infinities count.
create table metric_summaries (
    run_id        bigint           not null,
    key_id        integer          not null,
    points        bigint           not null,
    nan_points    bigint           not null,
    last_attempt  integer          not null,
    last_step     bigint           not null,
    last_seq      bigint           not null,
    last_value    double precision not null,
    last_ts       timestamptz      not null,
    min_value     double precision,
    max_value     double precision,
    primary key (run_id, key_id)
);

-- What the agent of one attempt reported besides metric values: its start, liveness and resource use, and how the
-- training process ended. last_heartbeat_at is the agent's clock; last_seen_at is the orchestrator's clock when the
-- newest heartbeat (or the start) was stored, and is what the lost-run check compares against.
create table agent_reports (
    run_id             bigint      not null,
    attempt            integer     not null,
    agent_id           text,
    agent_version      text,
    hostname           text,
    pid                bigint,
    command            text[],
    started_at         timestamptz,
    last_heartbeat_seq bigint,
    last_heartbeat_at  timestamptz,
    last_seen_at       timestamptz,
    cpu_percent        double precision,
    cpu_seconds        double precision,
    rss_bytes          bigint,
    process_count      integer,
    gpu_count          integer,
    last_step          bigint,
    finished_at        timestamptz,
    exit_code          integer,
    stop_reason        text,
    signal             integer,
    primary key (run_id, attempt)
);

-- The lost-run check scans attempts that have not finished, oldest sighting first.
create index agent_reports_unfinished_idx on agent_reports (last_seen_at) where finished_at is null;

-- Output lines of the training process. Identity: (run, attempt, stream, line number); stream is the file
-- descriptor (1 = stdout, 2 = stderr). chunk_seq is the agent's event sequence number of the chunk that carried
-- the line: ordering by it interleaves both streams in the order the agent shipped them.
create table run_logs (
    run_id     bigint   not null,
    attempt    integer  not null,
    stream     smallint not null check (stream in (1, 2)),
    line_no    bigint   not null,
    chunk_seq  bigint   not null,
    text       text     not null,
    primary key (run_id, attempt, stream, line_no)
);

create index run_logs_shipped_order_idx on run_logs (run_id, attempt, chunk_seq, stream, line_no);

-- Metric values refused for a run: by the agent (reported in metric-warning events, origin_seq = event seq) or by
-- the ingest (origin_seq = the metric batch's batch_seq). Keyed by origin, so a redelivered message is counted once.
create table ingest_warnings (
    run_id      bigint      not null,
    attempt     integer     not null,
    source      text        not null check (source in ('agent', 'ingest')),
    origin_seq  bigint      not null,
    reason      text        not null,
    count       bigint      not null check (count > 0),
    example     text,
    at          timestamptz not null,
    primary key (run_id, attempt, source, origin_seq, reason)
);
