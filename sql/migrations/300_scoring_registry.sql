-- Experiment tracking and model registry: training runs, model versions, aliases and their history.
create table scoring.training_runs (
  training_run_id text primary key,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null default 'running' check (status in ('running', 'success', 'failed')),
  trigger text,                         -- cli, dag run id, ...
  params jsonb not null default '{}',   -- model kinds and hyper-parameters, snapshot dates, costs
  data_digest text,                     -- digest of the training table, to tell whether data changed
  metrics jsonb not null default '{}',  -- per model kind: per fold and holdout metrics
  artefacts jsonb not null default '{}',-- curves (ROC, reliability, lift, cost) per model kind
  error text
);
comment on table scoring.training_runs is 'One row per training: parameters, data digest, metrics per fold and on the time holdout, curves';

create table scoring.model_versions (
  version_id text primary key,
  kind text not null,
  training_run_id text references scoring.training_runs (training_run_id),
  created_at timestamptz not null default now(),
  feature_names jsonb not null,
  model jsonb not null,                 -- the serialised fitted model
  threshold double precision,           -- business-cost threshold chosen on out-of-fold predictions
  metrics jsonb not null default '{}',  -- holdout metrics: auc, cost, brier, logloss, ...
  reference jsonb                       -- a sample of training features, the drift reference
);
comment on table scoring.model_versions is 'Every fitted model kept for scoring, explanation and rollback';

create table scoring.model_aliases (
  alias text primary key check (alias in ('champion', 'challenger')),
  version_id text not null references scoring.model_versions (version_id),
  updated_at timestamptz not null default now()
);

create table scoring.alias_history (
  id bigserial primary key,
  alias text not null,
  version_id text,
  previous_version_id text,
  moved_at timestamptz not null default now(),
  accepted boolean not null,            -- false: the move was proposed and refused
  reason text not null
);
comment on table scoring.alias_history is 'Every promotion, refusal and rollback of the champion and challenger aliases, with its reason';
