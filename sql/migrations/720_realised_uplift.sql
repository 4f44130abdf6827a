-- Realised uplift of each published list once its horizon has passed: the called debtors (on the
-- list) against the control debtors that would have been listed (dialer.holdout, would_be_listed),
-- intention to treat, on the pay rate (Newcombe's hybrid score interval) and the amount recovered
-- per debtor (Welch's interval). Written by the nightly task realised_uplift.
create table monitoring.realised_uplift (
  list_date date primary key,
  horizon_days integer not null,
  min_paid_amount double precision not null, -- total paid in the horizon that counts as "paid"
  confidence double precision not null,      -- two-sided level of the intervals (0.95)
  measured_at timestamptz not null default now(),
  n_called integer not null,
  n_control integer not null,
  paid_called integer not null,
  paid_control integer not null,
  pay_rate_called double precision,
  pay_rate_control double precision,
  pay_rate_diff double precision,           -- called − control; null without a control debtor
  pay_rate_diff_low double precision,       -- Newcombe (1998) method 10
  pay_rate_diff_high double precision,
  recovered_called double precision not null, -- € paid in the horizon by the called debtors
  recovered_control double precision not null,
  mean_recovered_called double precision,
  mean_recovered_control double precision,
  amount_diff double precision,             -- € per debtor, called − control
  amount_diff_low double precision,         -- Welch; null with fewer than two debtors in a group
  amount_diff_high double precision,
  amount_diff_df double precision           -- Welch–Satterthwaite degrees of freedom
);
comment on table monitoring.realised_uplift is 'Per list date, horizon_days later: pay rate and € recovered per debtor of the called group against the control debtors that would have been listed, with confidence intervals';
