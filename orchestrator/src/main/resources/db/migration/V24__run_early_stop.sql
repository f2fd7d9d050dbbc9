-- Why early stopping ended a run, in figures: rule, step (rung), the run's value, the cut-off, its rank among the
-- peers compared, the goal (issue #19, explainable early stopping). Null for runs that were not stopped early.
alter table runs add column early_stop jsonb;
