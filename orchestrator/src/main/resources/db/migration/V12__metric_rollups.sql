-- Block rollups of metric_points, so that a downsampled series reads about a thousand small rows instead of every
-- point of its range. One row per (run, key, attempt, block), block = step >> 6 (steps 64 * block to 64 * block + 63):
-- how many points the block holds, and its lowest and highest point, each as float8[] {value, step, seq, epoch ms}
-- compared element by element (PostgreSQL's order: NaN above every number; ties broken by step, then seq) -- exactly
-- what the query over the raw points computes. The ingest maintains the rows in the same statement as the points
-- and the summaries, from the rows its insert really returned, so redelivered points never count twice. Full
-- resolution stays in metric_points; a rollup row only summarises it.
create table metric_rollups (
    run_id   bigint             not null,
    key_id   integer            not null,
    attempt  integer            not null,
    block    bigint             not null,
    points   bigint             not null check (points > 0),
    lowest   double precision[] not null,
    highest  double precision[] not null,
    primary key (run_id, key_id, attempt, block)
);

-- Points stored before this migration (the same statement as MetricRollups.rebuild, for every run).
insert into metric_rollups (run_id, key_id, attempt, block, points, lowest, highest)
select run_id, key_id, attempt, block, count(*), min(p), max(p) from (
    select run_id, key_id, attempt, step >> 6 as block,
           array[value, step::float8, seq::float8, date_part('epoch', ts) * 1000] as p
    from metric_points
) x
group by run_id, key_id, attempt, block;
