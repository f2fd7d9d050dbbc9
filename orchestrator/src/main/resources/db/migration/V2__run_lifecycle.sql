-- Run lifecycle: attempt history, launch backoff, and the indexes the scheduler scans.

-- One row per attempt of a run: where and how it ran and how it ended. The run row holds the current attempt.
create table run_attempts (
    run_id         bigint      not null references runs (id) on delete cascade,
    attempt        integer     not null,
    state          text        not null,
    launched_at    timestamptz,
    started_at     timestamptz,
    finished_at    timestamptz,
    node_name      text,
    image_digest   text,
    exit_code      integer,
    failure_cause  text,
    message        text,
    primary key (run_id, attempt)
);

-- A run that failed to launch is not retried before this time (exponential backoff).
alter table runs add column not_before timestamptz;
alter table runs add column launched_at timestamptz;

-- The scheduler and the reconciler only look at runs that are not finished.
create index runs_active_idx on runs (sweep_id, run_index)
    where state in ('QUEUED', 'LAUNCHING', 'RUNNING', 'PREEMPTED');
