-- Webhooks (docs/webhooks.md): a project's HTTP endpoints subscribed to events, and the transactional outbox of
-- their deliveries. An event is written by the same transaction as the state change that causes it (a sweep ending,
-- a run failing, a new best run), with one delivery row per subscribed webhook: a restart loses nothing, and the
-- delivery worker sends what is due, outside any transaction, retrying with backoff until it succeeds or its attempts
-- run out (then FAILED, visible through the API).
-- secret: the HMAC-SHA256 key of the signature header; shown once when the webhook is created, never again.
create table webhooks (
    id          bigserial   primary key,
    project     text        not null,
    url         text        not null,
    events      text[]      not null,
    format      text        not null default 'json' check (format in ('json', 'slack')),
    secret      text        not null,
    created_at  timestamptz not null,
    created_by  text        not null
);
create index webhooks_project_idx on webhooks (project);

create table webhook_events (
    id          bigserial   primary key,
    project     text        not null,
    type        text        not null,
    payload     text        not null,
    created_at  timestamptz not null
);

-- state: PENDING (due at next_attempt_at), DELIVERED, FAILED (attempts exhausted; last_error says why).
create table webhook_deliveries (
    id              bigserial   primary key,
    webhook_id      bigint      not null references webhooks (id) on delete cascade,
    event_id        bigint      not null references webhook_events (id) on delete cascade,
    state           text        not null default 'PENDING' check (state in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null,
    last_status     int,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz not null,
    unique (webhook_id, event_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where state = 'PENDING';
create index webhook_deliveries_webhook_idx on webhook_deliveries (webhook_id, id desc);
