-- Ranking by what a call adds (docs/uplift.md, docs/call-list.md): the uplift model learned from
-- the office's history, its predictions with the nightly scores, and the ordering each published
-- list was built with.

-- The uplift model of each retrain: a T-learner (one classifier of P(pay in the horizon) on the
-- snapshots followed by a call in the treatment window, one on the others), with the rows and
-- snapshots it was fitted on and its evaluation on a later snapshot than any it was fitted on.
create table scoring.uplift_models (
  version_id text primary key,
  training_run_id text,                   -- the retrain run (dag run id) that fitted it
  created_at timestamptz not null default now(),
  kind text not null,                     -- t_learner
  feature_names jsonb not null,
  model jsonb not null,                   -- {treated, control}: the two serialised classifiers
  treatment_days integer not null,        -- a call in [as_of, as_of + treatment_days) is the treatment
  horizon_days integer not null,          -- payment label horizon, days after as_of
  fit_snapshots jsonb not null,           -- as-of dates of the snapshots it was fitted on
  fit_rows jsonb not null,                -- {treated, control}
  evaluation_as_of date,                  -- the later snapshot it was judged on
  evaluation jsonb not null default '{}', -- observed Qini, pay rates by decile (called vs not), rows
  fit_seconds double precision
);
comment on table scoring.uplift_models is 'Uplift models (effect of a call on P(pay)) learned at each retrain, with their fit rows and snapshots and an evaluation on a later snapshot; the newest scores the nightly';

alter table scoring.scores add column uplift_model_version_id text;
alter table scoring.scores add column p_pay_called double precision;
alter table scoring.scores add column p_pay_not_called double precision;
alter table scoring.scores add column uplift_p double precision;
alter table scoring.scores add column incremental_recovery double precision;
comment on column scoring.scores.p_pay_called is 'P(pay within the horizon) if called in the next days, from the uplift model; null before the first uplift model';
comment on column scoring.scores.p_pay_not_called is 'P(pay within the horizon) if not called in the next days, from the uplift model';
comment on column scoring.scores.uplift_p is 'the effect of a call on P(pay) the list is ranked by: p_pay_called − p_pay_not_called shrunk towards the model''s mean effect (docs/uplift.md)';
comment on column scoring.scores.incremental_recovery is 'uplift_p × the expected amount of a payment (EUR): what a call adds, before P(contact)';

alter table dialer.call_list add column p_pay_called double precision;
alter table dialer.call_list add column p_pay_not_called double precision;
alter table dialer.call_list add column incremental_recovery double precision;
alter table dialer.call_list add column call_reasons jsonb not null default '[]';
comment on column dialer.call_list.incremental_recovery is 'expected recovery the call adds: (p_pay_called − p_pay_not_called) × expected_amount × p_contact (EUR); the priority divides it by expected_minutes when the list is ordered by uplift';
comment on column dialer.call_list.call_reasons is 'why the call matters for this debtor, from its call, promise and payment history: [{feature, fr, en, text}]';
alter table dialer.deferred add column incremental_recovery double precision;
alter table dialer.holdout add column incremental_recovery double precision;

alter table dialer.publications add column objective text not null default 'propensity' check (objective in ('uplift', 'propensity'));
alter table dialer.publications add column objective_configured text;
alter table dialer.publications add column uplift_model_version_id text;
alter table dialer.publications add column note text;
comment on column dialer.publications.objective is 'how the list was ordered: uplift (expected recovery the call adds per minute) or propensity (expected recovery per minute)';
comment on column dialer.publications.objective_configured is 'ranking.objective of the configuration; differs from objective when no uplift model existed yet (see note)';
comment on column dialer.publications.note is 'what the team should know about this list, e.g. why it fell back to the propensity ordering';
