-- Scores of the nightly run: one row per (as_of, debtor_id); re-running a date replaces them.
create table scoring.scores (
  as_of date not null,
  debtor_id text not null,
  run_id text,
  model_version_id text not null,
  p_pay double precision not null,
  raw_score double precision not null,
  expected_value double precision not null,
  -- top contributions, [{feature, value, contribution}], sorted by |contribution| desc
  explanation jsonb not null,
  scored_at timestamptz not null default now(),
  primary key (as_of, debtor_id)
);
comment on table scoring.scores is 'P(pay within the horizon) per debtor and as-of date, with the model version and the explanation (contributions in log-odds)';
