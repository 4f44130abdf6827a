-- Point-in-time feature snapshots: a row per (as_of, debtor_id), computed from events strictly
-- before as_of. Labels live apart, since they describe the future of the snapshot.
create table features.debtor_features (
  as_of date not null,
  debtor_id text not null,
  run_id text,
  office_code text,
  -- balances and cases
  balance numeric(14,2) not null,
  principal_total numeric(14,2) not null,
  n_cases integer not null,
  n_open_cases integer not null,
  legal_stage_rank integer,            -- 0 amicable .. 3 seizure, the most advanced open case
  oldest_case_age_days integer,
  newest_case_age_days integer,
  paid_share double precision,         -- total paid / (principal + fees)
  -- payments
  n_payments_90d integer not null,
  amount_paid_90d numeric(14,2) not null,
  n_payments_365d integer not null,
  amount_paid_365d numeric(14,2) not null,
  days_since_last_payment integer,
  last_payment_amount numeric(14,2),
  avg_payment_amount numeric(14,2),
  -- calls
  n_calls_30d integer not null,
  n_calls_90d integer not null,
  n_contacts_90d integer not null,
  contact_rate_90d double precision,
  days_since_last_contact integer,
  n_wrong_number_90d integer not null,
  n_refusals_365d integer not null,
  -- promises
  n_promises_365d integer not null,
  n_promises_kept_365d integer not null,
  promise_keep_rate double precision,
  days_since_last_promise integer,
  open_promise_amount numeric(14,2) not null,
  -- debtor
  age_years integer,
  n_valid_phones integer not null,
  has_valid_mobile boolean not null,
  disputed_any boolean not null,
  overseas boolean not null,
  computed_at timestamptz not null default now(),
  primary key (as_of, debtor_id)
);
comment on table features.debtor_features is 'Point-in-time features per debtor: every column uses only events dated strictly before as_of';

create table features.labels (
  as_of date not null,
  debtor_id text not null,
  horizon_days integer not null,
  paid_amount numeric(14,2) not null,
  label boolean not null,
  primary key (as_of, debtor_id, horizon_days)
);
comment on table features.labels is 'Training labels: paid at least the configured amount in the horizon_days after as_of';
