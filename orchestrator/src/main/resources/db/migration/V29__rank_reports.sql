-- Distributed trials, per rank (ADR 0008): every rank's agent reports under its node rank (Kafka header
-- reprise-rank). Rank 0 reports for the run (agent_reports, run_logs with rank 0, metrics); each rank's own start,
-- newest heartbeat and exit are kept here, so a rank that stops heartbeating is found and named, and the run page
-- lists its ranks. Event seqs count per rank, so the newest-heartbeat rule is per (run, attempt, rank).
create table rank_reports (
    run_id             bigint      not null,
    attempt            integer     not null,
    rank               integer     not null check (rank >= 0),
    agent_id           text,
    agent_version      text,
    hostname           text,
    pid                bigint,
    started_at         timestamptz,
    last_heartbeat_seq bigint,
    last_heartbeat_at  timestamptz,
    last_seen_at       timestamptz,
    cpu_percent        double precision,
    cpu_seconds        double precision,
    rss_bytes          bigint,
    process_count      integer,
    gpu_count          integer,
    gpu_model          text,
    finished_at        timestamptz,
    exit_code          integer,
    stop_reason        text,
    signal             integer,
    message            text,
    primary key (run_id, attempt, rank)
);

-- The silent-rank check scans ranks that have not finished, oldest sighting first.
create index rank_reports_unfinished_idx on rank_reports (last_seen_at) where finished_at is null;

-- Log lines carry their rank: a line's identity is (run, attempt, rank, stream, line number). Lines stored before
-- are rank 0's (only rank 0 shipped lines then).
alter table run_logs add column rank integer not null default 0;
alter table run_logs drop constraint run_logs_pkey;
alter table run_logs add primary key (run_id, attempt, rank, stream, line_no);
drop index run_logs_shipped_order_idx;
create index run_logs_shipped_order_idx on run_logs (run_id, attempt, rank, chunk_seq, stream, line_no);
