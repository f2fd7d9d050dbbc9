-- Accounting and budgets (#19): why a sweep ended when the reason is not its runs' states alone (a GPU-hour budget
-- reached), and the index the usage report scans: attempts by the time the executor saw them start.
alter table sweeps add column end_reason text;

create index run_attempts_started_idx on run_attempts (started_at) where started_at is not null;
