-- Checkpoints that outlive attempts (docs/checkpoints.md). The agent uploads each complete checkpoint directory
-- (step-N/ with its COMPLETE marker) content-addressed into the object store, like artifacts; a row here is written
-- only once every blob is in the store with its size and hash, so a half-uploaded checkpoint is never listed nor
-- restored. The newest reprise.checkpoints.keep checkpoints of a run are kept, older rows deleted.

create table run_checkpoints (
    run_id        bigint      not null references runs (id) on delete cascade,
    step          bigint      not null check (step >= 0),
    attempt       integer     not null check (attempt >= 0),
    manifest_id   text        not null check (manifest_id ~ '^sha256:[0-9a-f]{64}$'),
    -- the canonical manifest bytes (entries: path relative to the checkpoint directory, size, sha256, mode)
    manifest      text        not null,
    file_count    integer     not null check (file_count >= 0),
    total_bytes   bigint      not null check (total_bytes >= 0),
    committed_at  timestamptz not null,
    primary key (run_id, step)
);

-- An attempt that started from a restored checkpoint: the step it resumed after and the attempt that wrote the
-- checkpoint. A metric series reads steps up to resumed_from_step from that attempt and later ones from this one.
alter table run_attempts add column resumed_from_step bigint check (resumed_from_step >= 0);
alter table run_attempts add column resumed_from_attempt integer check (resumed_from_attempt >= 0);
