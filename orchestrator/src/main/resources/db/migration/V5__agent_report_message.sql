-- Metrics ingest, continued: newer agents say in their "finished" event why they gave up (reason AGENT_ERROR, e.g. a
-- data snapshot that does not verify). Kept per attempt beside the exit code and stop reason.
alter table agent_reports add column message text;
