-- The application's own database role (docs/security.md#database-roles). Migrations run as the schema's owner
-- (quarkus.flyway.username, REPRISE_PG_MIGRATION_USER); the running application connects as ${app_role}
-- (REPRISE_PG_USER), which owns nothing: it reads and writes every table but may only INSERT into and SELECT from
-- audit_log, so its credentials can neither disable the append-only triggers (ALTER TABLE needs the owner) nor
-- delete, update or truncate audit rows. Roles are cluster objects that only an administrator creates: when
-- ${app_role} does not exist, or is the migration user itself (one credential for both), nothing changes here and
-- the orchestrator warns at start.
do $$
declare
    app text := '${app_role}';
    s   text := current_schema();
begin
    if app = current_user or not exists (select from pg_roles where rolname = app) then
        raise notice 'application role % is the migration user or does not exist: audit_log stays writable by it', app;
        return;
    end if;
    execute format('grant usage on schema %I to %I', s, app);
    execute format('grant select, insert, update, delete on all tables in schema %I to %I', s, app);
    execute format('grant usage, select, update on all sequences in schema %I to %I', s, app);
    execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to %I', s, app);
    execute format('alter default privileges in schema %I grant usage, select, update on sequences to %I', s, app);
    -- append-only for the application: rows go in and are read, never changed or removed
    execute format('revoke update, delete, truncate on audit_log from %I', app);
    -- the migration history is the owner's
    execute format('revoke insert, update, delete, truncate on %I from %I', '${flyway:table}', app);
end
$$;
