-- Monitoring storage: drift reports (one per scored snapshot) with their per-feature rows,
-- realised performance of published lists once their outcomes are known, and alerts.
create table monitoring.drift_reports (
  report_id text primary key,
  as_of date not null,                  -- the snapshot compared with the reference
  model_version_id text,                -- whose training sample is the reference
  run_id text,
  created_at timestamptz not null default now(),
  n_features integer not null,
  n_drifted integer not null,
  drift_share double precision not null,-- n_drifted / n_features
  share_threshold double precision not null,
  dataset_drift boolean not null,       -- drift_share >= share_threshold
  n_reference integer,
  n_current integer
);
create index drift_reports_as_of on monitoring.drift_reports (as_of desc);
comment on table monitoring.drift_reports is 'One drift report per snapshot: how many features drifted from the model''s training reference';

create table monitoring.drift_columns (
  report_id text not null references monitoring.drift_reports (report_id) on delete cascade,
  feature text not null,
  method text not null,                 -- psi, ks, chi2, wasserstein, ...
  statistic double precision,
  p_value double precision,
  threshold double precision,
  drifted boolean not null,
  -- distributions for the chart: [{bin, reference, current}] shares per bin
  distribution jsonb not null default '[]'::jsonb,
  reference_missing_share double precision,
  current_missing_share double precision,
  primary key (report_id, feature)
);
comment on table monitoring.drift_columns is 'Per-feature drift statistic, its test and threshold, and binned reference vs current distributions';

create table monitoring.realised_performance (
  list_date date not null,              -- the published list (or score snapshot) measured
  model_version_id text not null,
  horizon_days integer not null,
  measured_at timestamptz not null default now(),
  n integer not null,
  n_paid integer not null,
  pay_rate double precision not null,
  auc double precision,                 -- null when only one class was observed
  -- [{decile, n, n_paid, pay_rate, mean_p_pay}], decile 1 = highest scores
  deciles jsonb not null default '[]'::jsonb,
  primary key (list_date, model_version_id)
);
comment on table monitoring.realised_performance is 'AUC and pay rate by score decile on realised outcomes, measured horizon_days after each list';

create table monitoring.alerts (
  id bigserial primary key,
  kind text not null,                   -- dataset_drift, realised_auc, ...
  severity text not null check (severity in ('info', 'warning', 'critical')),
  subject text,                         -- what it is about: a report id, a list date, ...
  message text not null,
  details jsonb not null default '{}'::jsonb,
  raised_at timestamptz not null default now(),
  webhook_status text                   -- null: no webhook; 'sent'; or the error
);
create index alerts_raised_at on monitoring.alerts (raised_at desc);
comment on table monitoring.alerts is 'Monitoring alerts (dataset drift, realised AUC under its floor), with the outcome of the webhook call';
