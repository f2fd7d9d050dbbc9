-- Provenance: what a run is made of, recorded when the run is created (before it can start) and never changed
-- after, except what only the running trial can tell (image digest, node, GPU model, agent version), which each
-- attempt fills in once.

-- Hash of the exact submitted text (sweeps.spec_hash is the hash of the normalised spec).
alter table sweeps add column spec_text_hash char(64);
update sweeps set spec_text_hash = encode(sha256(convert_to(spec_text, 'UTF8')), 'hex');
alter table sweeps alter column spec_text_hash set not null;
-- A sweep made by cloning another one with changes (POST /sweeps/{id}/clone).
alter table sweeps add column cloned_from bigint references sweeps (id);

-- The user's environment variables as recorded (secrets redacted), the executor and what it runs the command
-- with, the GPU model the agent saw, the run this one re-runs, and when the record was written.
alter table runs add column env jsonb;
alter table runs add column executor text;
alter table runs add column runtime text;
alter table runs add column gpu_model text;
alter table runs add column rerun_of bigint references runs (id);
alter table runs add column provenance_recorded_at timestamptz;

create index runs_rerun_of_idx on runs (rerun_of) where rerun_of is not null;

-- The database refuses to change a recorded provenance, whoever tries: the recorded fields never change, and the
-- observed ones are set once per attempt (a new attempt, i.e. a retry, starts them afresh).
create function runs_provenance_immutable() returns trigger language plpgsql as $$
begin
    if old.provenance_recorded_at is null then
        return new;
    end if;
    if new.provenance_recorded_at is distinct from old.provenance_recorded_at
            or new.sweep_id is distinct from old.sweep_id
            or new.run_index is distinct from old.run_index
            or new.parameters is distinct from old.parameters
            or new.image_ref is distinct from old.image_ref
            or new.config_hash is distinct from old.config_hash
            or new.data_snapshot_id is distinct from old.data_snapshot_id
            or new.git_repo is distinct from old.git_repo
            or new.git_commit is distinct from old.git_commit
            or new.git_dirty is distinct from old.git_dirty
            or new.seed is distinct from old.seed
            or new.env is distinct from old.env
            or new.executor is distinct from old.executor
            or new.runtime is distinct from old.runtime
            or new.rerun_of is distinct from old.rerun_of then
        raise exception 'the provenance of run % is immutable', old.id using errcode = 'P0001';
    end if;
    if new.attempt = old.attempt and (
            (old.image_digest is not null and new.image_digest is distinct from old.image_digest)
            or (old.node_name is not null and new.node_name is distinct from old.node_name)
            or (old.gpu_model is not null and new.gpu_model is distinct from old.gpu_model)
            or (old.agent_version is not null and new.agent_version is distinct from old.agent_version)) then
        raise exception 'the observed provenance of run % attempt % is already recorded', old.id, old.attempt
            using errcode = 'P0001';
    end if;
    return new;
end $$;

create trigger runs_provenance_immutable before update on runs
    for each row execute function runs_provenance_immutable();

create function sweeps_spec_immutable() returns trigger language plpgsql as $$
begin
    if new.spec_text is distinct from old.spec_text or new.spec_text_hash is distinct from old.spec_text_hash
            or new.spec_format is distinct from old.spec_format or new.seed is distinct from old.seed
            or new.cloned_from is distinct from old.cloned_from then
        raise exception 'the submitted spec of sweep % is immutable', old.id using errcode = 'P0001';
    end if;
    return new;
end $$;

create trigger sweeps_spec_immutable before update on sweeps
    for each row execute function sweeps_spec_immutable();
