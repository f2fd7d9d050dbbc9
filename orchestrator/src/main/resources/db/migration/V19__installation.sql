-- The identity of this installation: generated once, when the database is created, and never changed. Every
-- Kubernetes object Reprise creates carries it in its name and in the label reprise.dev/installation, and the
-- executor only ever watches, adopts or deletes objects with its own identity. Run and sweep ids restart at 1 in a
-- new database, so without it the Jobs of an earlier database (or of another installation sharing the namespace)
-- would be mistaken for this one's. Eight hex digits: a DNS-1123 label and a label value.
create table installation (
    singleton   boolean     primary key default true check (singleton),
    id          text        not null check (id ~ '^[0-9a-f]{8}$'),
    created_at  timestamptz not null default now()
);

insert into installation (id) values (substr(md5(random()::text || clock_timestamp()::text), 1, 8));
