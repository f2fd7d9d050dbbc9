-- The role the submitting credential had in the sweep's project. Ownership lets a member control its own sweep, but
-- only with a credential at least as strong as the one that submitted it: a member token of a subject cannot cancel
-- what the same subject submitted as a maintainer (tokens inherit their creator's subject). Sweeps submitted before
-- this column existed have none: only the full role controls them.
alter table sweeps add column created_role text check (created_role in ('viewer', 'member', 'maintainer', 'admin'));
