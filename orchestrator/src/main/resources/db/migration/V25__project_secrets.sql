-- The local secret store (docs/security.md#secrets-in-sweeps): values a sweep names in its env as
-- {secret: NAME, key: KEY}, which the local executor puts into the trial's environment when it starts. Written through
-- PUT /api/v1/projects/{project}/secrets/{name} (maintainer), never read back by any endpoint: the API lists names and
-- keys only. On Kubernetes the same references name Secrets of the trials' namespace and this table is not used.
-- data: a JSON object key -> value (text, as Kubernetes' stringData).
create table project_secrets (
    project     text        not null,
    name        text        not null,
    data        text        not null,
    created_at  timestamptz not null,
    created_by  text        not null,
    updated_at  timestamptz not null,
    updated_by  text        not null,
    primary key (project, name)
);
