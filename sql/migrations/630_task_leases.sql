-- Leases of running tries. The process running a try renews `lease_expires_at` every few seconds,
-- in Postgres time (`now()`), so no two machines' clocks are compared. The scheduler's sweep fails
-- or retries a running try whose lease expired (its process died, whatever Redis remembers) or
-- that is past `timeout_at` (the task's timeout plus one lease, so the process's own timeout
-- normally acts first). A running try without a lease (started before this migration) counts as expired.
alter table orchestrator.task_instances
  add column lease_expires_at timestamptz,
  add column timeout_at timestamptz;

comment on column orchestrator.task_instances.lease_expires_at is 'Running tries: when the lease of the process running it expires unless renewed (Postgres time)';
comment on column orchestrator.task_instances.timeout_at is 'Running tries: when the scheduler fails the try for running past its timeout (Postgres time)';
