-- Distributed trials (ADR 0008): the members (pods, one agent each) of a run attempt that registered at the
-- orchestrator's rendezvous, in registration order. Shared by every orchestrator replica; the start deadline reads it.
create table run_rendezvous (
    run_id         bigint      not null references runs (id) on delete cascade,
    attempt        integer     not null,
    member         text        not null,
    address        text        not null,
    node_name      text,
    rank_hint      integer,
    seq            bigserial   not null,
    registered_at  timestamptz not null default now(),
    primary key (run_id, attempt, member)
);
