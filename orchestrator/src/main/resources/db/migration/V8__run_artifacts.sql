-- Artifacts and archived logs of run attempts. The files live in the object store, content-addressed like data
-- snapshots (blobs/sha256/<aa>/<hex>, shared and deduplicated with them); each attempt's manifest is stored at
-- artifacts/runs/<run>/<attempt>/manifest.json and listed here, and each finished attempt's log stream is archived
-- as one gzip object.

create table run_artifact_sets (
    run_id        bigint      not null references runs (id) on delete cascade,
    attempt       integer     not null,
    manifest_id   text        not null check (manifest_id ~ '^sha256:[0-9a-f]{64}$'),
    file_count    integer     not null check (file_count >= 0),
    total_bytes   bigint      not null check (total_bytes >= 0),
    committed_at  timestamptz not null,
    primary key (run_id, attempt)
);

create table run_artifacts (
    run_id   bigint  not null,
    attempt  integer not null,
    path     text    not null,
    size     bigint  not null check (size >= 0),
    sha256   char(64) not null,
    mode     integer not null,
    primary key (run_id, attempt, path),
    foreign key (run_id, attempt) references run_artifact_sets (run_id, attempt) on delete cascade
);

create table run_log_archives (
    run_id       bigint      not null references runs (id) on delete cascade,
    attempt      integer     not null,
    object_key   text        not null,
    lines        bigint      not null check (lines >= 0),
    bytes        bigint      not null check (bytes >= 0),
    archived_at  timestamptz not null,
    primary key (run_id, attempt)
);
