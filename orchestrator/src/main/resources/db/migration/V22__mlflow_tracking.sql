-- MLflow-compatible tracking (docs/adr/0007-mlflow-mapping.md): an MLflow experiment is a sweep, an MLflow run is a
-- run. Sweeps the MLflow API creates have method 'tracking' and never launch anything; their runs have executor
-- 'mlflow' and are driven by the client (status, end time). Metric points go to metric_points like the agent's.

-- MLflow's soft delete: a deleted experiment or run is hidden from searches until restored.
alter table sweeps add column lifecycle_stage text not null default 'active'
    check (lifecycle_stage in ('active', 'deleted'));
alter table runs add column lifecycle_stage text not null default 'active'
    check (lifecycle_stage in ('active', 'deleted'));
-- MLflow's run name and user; null for runs the scheduler created (the name is then the sweep name and index).
alter table runs add column run_name text;
alter table runs add column user_id text;

-- Params logged through MLflow: immutable once set (re-logging the same value is fine). For tracking runs the
-- orchestrator also merges them into runs.parameters, so the dashboard and the REST API show them as parameters.
create table run_params (
    run_id     bigint      not null references runs (id) on delete cascade,
    key        text        not null,
    value      text        not null,
    logged_at  timestamptz not null,
    primary key (run_id, key)
);

-- Tags of runs and of experiments (sweeps): mutable key/value pairs.
create table run_tags (
    run_id  bigint not null references runs (id) on delete cascade,
    key     text   not null,
    value   text   not null,
    primary key (run_id, key)
);

create table sweep_tags (
    sweep_id  bigint not null references sweeps (id) on delete cascade,
    key       text   not null,
    value     text   not null,
    primary key (sweep_id, key)
);

-- Dataset inputs of runs (MLflow log-inputs), one row per dataset and context; identity is MLflow's
-- (name, digest) of the dataset.
create table run_inputs (
    run_id        bigint not null references runs (id) on delete cascade,
    name          text   not null,
    digest        text   not null,
    source_type   text   not null,
    source        text   not null,
    schema        text,
    profile       text,
    tags          jsonb  not null default '[]',
    primary key (run_id, name, digest)
);

-- Tracking sweeps are found by name for get-by-name; launched sweeps are found by the unique (project, name).
create index sweeps_name_idx on sweeps (name);
