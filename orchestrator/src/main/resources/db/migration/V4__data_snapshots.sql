-- Data snapshots: content-addressed file trees in the object store. The manifest and the blobs live in S3
-- (manifests/sha256/<hex>.json, blobs/sha256/<aa>/<hex>); these tables record which snapshots are committed and
-- where the mutable names point.

-- One row per committed snapshot. The id is "sha256:" + the hash of the canonical manifest, so a row is never
-- updated: equal file trees share one row.
create table snapshots (
    id           text        primary key check (id ~ '^sha256:[0-9a-f]{64}$'),
    file_count   integer     not null check (file_count >= 0),
    total_bytes  bigint      not null check (total_bytes >= 0),
    created_at   timestamptz not null,
    created_by   text        not null
);

create index snapshots_created_idx on snapshots (created_at desc, id);

-- Names are mutable pointers: name:tag -> snapshot id, moved by each push of that name and tag.
create table snapshot_tags (
    name         text        not null,
    tag          text        not null,
    snapshot_id  text        not null references snapshots (id),
    updated_at   timestamptz not null,
    updated_by   text        not null,
    primary key (name, tag)
);

create index snapshot_tags_snapshot_idx on snapshot_tags (snapshot_id);

-- A snapshot referenced by a run cannot be deleted; this index makes that check cheap. No foreign key: runs
-- submitted before snapshots were resolved hold the reference as written (e.g. "digits:v3").
create index runs_data_snapshot_idx on runs (data_snapshot_id) where data_snapshot_id is not null;
