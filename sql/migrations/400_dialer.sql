-- The published call lists (docs/call-list.md): one list per list date, written in one transaction
-- with its exclusions, deferrals and control group, so readers see a whole list or the previous one.

-- Requests recorded by the office beyond the export's do-not-call flag.
create table dialer.contact_requests (
  debtor_id text not null,
  kind text not null check (kind in ('do_not_call', 'cease_communication')),
  requested_on date not null,
  note text,
  primary key (debtor_id, kind)
);
comment on table dialer.contact_requests is 'Do-not-call and cease-communication requests recorded by the office; a request keeps the debtor off every list from requested_on';

create table dialer.call_list (
  list_date date not null,
  team_id text not null,
  rank integer not null,                 -- 1 = call first, within the team
  debtor_id text not null,
  office_code text,
  phone_e164 text,
  time_zone text,                        -- the debtor's IANA time zone
  window_start timestamptz,              -- recommended calling window (inside the allowed hours)
  window_end timestamptz,
  p_pay double precision not null,       -- P(pay within the horizon), from scoring.scores
  expected_amount numeric(14,2),         -- amount expected if the debtor pays
  amount_basis text,                     -- open_promise, past_payments, typical_payment or balance_share
  p_contact double precision,            -- P(right-party contact) in the recommended window
  expected_recovery double precision not null,  -- p_pay × expected_amount × p_contact
  expected_minutes double precision,     -- expected agent minutes of the call
  priority double precision,             -- expected_recovery / expected_minutes (€ per agent minute)
  balance numeric(14,2),
  reasons jsonb not null default '[]',   -- top three reasons: [{feature, contribution, fr, en, text}]
  model_version_id text,
  run_id text,
  published_at timestamptz not null default now(),
  primary key (list_date, debtor_id),
  unique (list_date, team_id, rank)
);
comment on table dialer.call_list is 'The ranked call list of each list date, per team, with every term of the priority (p_pay × expected_amount × p_contact / expected_minutes), the recommended window and the reasons';

create table dialer.exclusions (
  list_date date not null,
  debtor_id text not null,
  rule text not null,                    -- do_not_call, cease_communication, legal_stage, no_open_case, disputed, no_valid_phone, frequency_cap, after_conversation, calling_day, calling_hours
  detail text not null,
  run_id text,
  primary key (list_date, debtor_id, rule)
);
comment on table dialer.exclusions is 'Scored debtors kept off the list by a compliance rule: one row per debtor and rule that applies, with a plain detail';

create table dialer.deferred (
  list_date date not null,
  debtor_id text not null,
  team_id text,                          -- the team the debtor would have gone to (null: no team works it)
  reason text not null check (reason in ('capacity', 'no_team')),
  p_pay double precision not null,
  expected_amount numeric(14,2) not null,
  p_contact double precision not null,
  priority double precision not null,
  expected_recovery double precision not null,
  expected_minutes double precision not null,
  run_id text,
  primary key (list_date, debtor_id)
);
comment on table dialer.deferred is 'Eligible debtors that did not fit the teams'' capacity for the day: not lost, first in line when capacity frees up';

create table dialer.holdout (
  list_date date not null,
  debtor_id text not null,
  month text not null,                   -- YYYY-MM: the hash month that assigned the debtor
  team_id text,                          -- the team it would have gone to
  p_pay double precision not null,
  expected_amount numeric(14,2) not null,
  p_contact double precision not null,
  priority double precision not null,
  expected_recovery double precision not null,
  would_be_listed boolean not null,      -- its priority beat the cut-off of its team's list
  run_id text,
  primary key (list_date, debtor_id)
);
comment on table dialer.holdout is 'Control group: eligible debtors kept off the list by the monthly hash (ranking.holdout), for measuring the uplift of calling';

create table dialer.publications (
  list_date date primary key,
  run_id text,
  model_version_id text,
  candidates integer not null,
  listed integer not null,
  excluded integer not null,
  deferred integer not null,
  holdout integer not null,
  expected_recovery double precision not null,
  settle_share double precision,         -- share of recent payments that settled their case (expected amounts)
  published_at timestamptz not null
);
comment on table dialer.publications is 'One row per published list date: counts and the run that published it';

-- Per debtor of each list date: called or control, and what it paid in the 30 days from the list date.
create view dialer.holdout_outcomes as
with groups as (
  select list_date, debtor_id, team_id, 'called'::text as arm, true as would_be_listed from dialer.call_list
  union all
  select list_date, debtor_id, team_id, 'control'::text, would_be_listed from dialer.holdout
)
select g.list_date, g.debtor_id, g.team_id, g.arm, g.would_be_listed,
       coalesce(p.amount, 0)::double precision as recovered_30d,
       coalesce(p.amount, 0) > 0 as paid_30d
  from groups g
  left join lateral (
    select sum(y.amount) as amount from clean.payments y
     where y.debtor_id = g.debtor_id and y.paid_on >= g.list_date and y.paid_on < g.list_date + 30
  ) p on true;
comment on view dialer.holdout_outcomes is 'Per list date and debtor: called (on the list) or control (holdout), and the amount paid in the 30 days from the list date';

-- The uplift of the ranking: called debtors against the control debtors that would have been listed.
create view dialer.holdout_uplift as
select o.list_date,
       count(*) filter (where o.arm = 'called') as n_called,
       count(*) filter (where o.arm = 'control') as n_control,
       avg(o.recovered_30d) filter (where o.arm = 'called') as recovered_per_called,
       avg(o.recovered_30d) filter (where o.arm = 'control') as recovered_per_control,
       avg(o.paid_30d::int) filter (where o.arm = 'called') as pay_rate_called,
       avg(o.paid_30d::int) filter (where o.arm = 'control') as pay_rate_control,
       avg(o.recovered_30d) filter (where o.arm = 'called') - avg(o.recovered_30d) filter (where o.arm = 'control') as uplift_per_debtor,
       sqrt(coalesce(var_samp(o.recovered_30d) filter (where o.arm = 'called'), 0) / nullif(count(*) filter (where o.arm = 'called'), 0)
          + coalesce(var_samp(o.recovered_30d) filter (where o.arm = 'control'), 0) / nullif(count(*) filter (where o.arm = 'control'), 0)) as uplift_std_error,
       (select max(paid_on) from clean.payments) >= o.list_date + 29 as complete
  from dialer.holdout_outcomes o
 where o.would_be_listed
 group by o.list_date;
comment on view dialer.holdout_uplift is 'Uplift of calling the list, per list date: mean amount paid in the 30 days from the list date by the called debtors minus that of the control debtors whose priority would have put them on the list (same cut-off, random assignment), with its standard error; complete is false while the 30 days are not all in the data. Sum over dates weighted by n to pool.';
