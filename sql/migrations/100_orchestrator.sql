-- Orchestrator state: DAG runs, task instances (Airflow's state machine), task logs, small task
-- results, paused DAGs and alerts. Runs are keyed by (dag_id, logical_date): a second trigger of
-- the same date is refused by the unique constraint, whichever process tries.
create table orchestrator.dag_runs (
  run_id text primary key,
  dag_id text not null,
  logical_date timestamptz not null,
  data_interval_start timestamptz not null,
  data_interval_end timestamptz not null,
  run_type text not null check (run_type in ('scheduled', 'manual', 'backfill')),
  conf jsonb not null default '{}'::jsonb,
  state text not null check (state in ('queued', 'running', 'success', 'failed')),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  ended_at timestamptz,
  deadline_at timestamptz,
  deadline_alerted_at timestamptz,
  unique (dag_id, logical_date)
);
create index dag_runs_active on orchestrator.dag_runs (dag_id, state) where state in ('queued', 'running');

create table orchestrator.task_instances (
  run_id text not null references orchestrator.dag_runs (run_id) on delete cascade,
  task_id text not null,
  -- -1 for a plain task, 0..n-1 for the items of a mapped task.
  map_index integer not null default -1,
  map_item jsonb,
  state text not null check (state in ('scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped')),
  try_number integer not null default 0,
  max_tries integer not null,
  pool text not null,
  priority integer not null default 0,
  hostname text,
  pid integer,
  queued_at timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  duration_ms integer,
  next_try_at timestamptz,
  error text,
  updated_at timestamptz not null default now(),
  primary key (run_id, task_id, map_index)
);
create index task_instances_state on orchestrator.task_instances (state) where state in ('queued', 'running', 'up_for_retry');

create table orchestrator.task_logs (
  id bigserial primary key,
  run_id text not null references orchestrator.dag_runs (run_id) on delete cascade,
  task_id text not null,
  map_index integer not null default -1,
  try_number integer not null,
  logged_at timestamptz not null default now(),
  level text not null,
  line text not null
);
create index task_logs_task on orchestrator.task_logs (run_id, task_id, map_index, id);

create table orchestrator.task_results (
  run_id text not null references orchestrator.dag_runs (run_id) on delete cascade,
  task_id text not null,
  map_index integer not null default -1,
  value jsonb not null,
  bytes integer not null,
  primary key (run_id, task_id, map_index)
);

create table orchestrator.dag_state (
  dag_id text primary key,
  paused boolean not null,
  updated_at timestamptz not null default now()
);

create table orchestrator.alerts (
  id bigserial primary key,
  dag_id text not null,
  run_id text references orchestrator.dag_runs (run_id) on delete cascade,
  kind text not null,
  message text not null,
  raised_at timestamptz not null default now()
);

comment on table orchestrator.dag_runs is 'One row per DAG run, keyed by (dag_id, logical_date); logical_date is the start of the data interval';
comment on table orchestrator.task_instances is 'One row per task (and map index) of a run, with the state of its latest try';
comment on table orchestrator.task_logs is 'Log lines written by tasks, redacted, per try';
comment on table orchestrator.task_results is 'Small JSON results passed from a task to its downstream tasks';
comment on table orchestrator.alerts is 'Missed deadlines and other orchestrator alerts';
