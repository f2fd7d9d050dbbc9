-- Sweep control: pause (no new trials; running ones finish) and the data snapshot frozen at submission, which
-- runs created later (bayes suggestions, extensions) inherit.
alter table sweeps add column paused boolean not null default false;
alter table sweeps add column data_snapshot_id text;
