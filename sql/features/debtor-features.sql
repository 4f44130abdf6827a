-- Point-in-time features of every debtor with an outstanding balance on :as_of.
-- Every aggregate uses only events dated strictly before :as_of (calls by their local date in
-- :tz). Case attributes that the export only knows in their current state (legal stage,
-- disputed) describe :as_of only when :current is true, i.e. for tonight's list; older training
-- snapshots leave them null, since their past value is unknown and today's would leak the future.
-- Parameters: :as_of (date), :run_id (text), :tz (IANA time zone), :current (boolean)
-- They are written inline, not joined from a one-row CTE: the planner then sees constants, filters
-- on them through the indexes and groups by debtor alone (about a sixth less work a snapshot).
insert into features.debtor_features (
  as_of, debtor_id, run_id, office_code,
  balance, principal_total, n_cases, n_open_cases, legal_stage_rank, oldest_case_age_days,
  newest_case_age_days, paid_share,
  n_payments_90d, amount_paid_90d, n_payments_365d, amount_paid_365d, days_since_last_payment,
  last_payment_amount, avg_payment_amount,
  n_calls_30d, n_calls_90d, n_contacts_90d, contact_rate_90d, days_since_last_contact,
  n_wrong_number_90d, n_refusals_365d,
  n_promises_365d, n_promises_kept_365d, promise_keep_rate, days_since_last_promise, open_promise_amount,
  age_years, n_valid_phones, has_valid_mobile, disputed_any, overseas
)
with pay as (
  select y.case_id, y.debtor_id, y.paid_on, y.amount
  from clean.payments y
  where y.paid_on < cast(:as_of as date)
),
case_paid as (
  select y.case_id, sum(y.amount) as paid
  from pay y
  group by y.case_id
),
case_state as (
  select c.case_id, c.debtor_id, c.opened_on, c.principal,
         c.principal + coalesce(c.fees, 0) as due,
         coalesce(cp.paid, 0) as paid,
         case c.legal_stage when 'amicable' then 0 when 'injunction' then 1
              when 'enforceable_title' then 2 when 'seizure' then 3 end as stage_rank,
         c.disputed, c.status
  from clean.cases c
  left join case_paid cp on cp.case_id = c.case_id
  where c.opened_on < cast(:as_of as date)
),
debtor_state as (
  select s.debtor_id,
         sum(greatest(s.due - s.paid, 0)) as balance,
         sum(s.principal) as principal_total,
         count(*) as n_cases,
         count(*) filter (where s.due - s.paid > 0) as n_open_cases,
         max(s.stage_rank) filter (where s.due - s.paid > 0) as stage_rank,
         min(s.opened_on) as first_opened,
         max(s.opened_on) as last_opened,
         sum(s.paid) / nullif(sum(s.due), 0) as paid_share,
         bool_or(s.disputed) as disputed_any,
         bool_or(s.status = 'open') as any_open_status
  from case_state s
  group by s.debtor_id
  having sum(greatest(s.due - s.paid, 0)) > 0
),
pay_agg as (
  select y.debtor_id,
         count(*) filter (where y.paid_on >= cast(:as_of as date) - 90) as n90,
         coalesce(sum(y.amount) filter (where y.paid_on >= cast(:as_of as date) - 90), 0) as a90,
         count(*) filter (where y.paid_on >= cast(:as_of as date) - 365) as n365,
         coalesce(sum(y.amount) filter (where y.paid_on >= cast(:as_of as date) - 365), 0) as a365,
         cast(:as_of as date) - max(y.paid_on) as since_last,
         (array_agg(y.amount order by y.paid_on desc, y.amount desc))[1] as last_amount,
         avg(y.amount) as avg_amount
  from pay y
  group by y.debtor_id
),
call_days as (
  select c.debtor_id, (c.called_at at time zone cast(:tz as text))::date as day, c.outcome
  from clean.calls c
  where (c.called_at at time zone cast(:tz as text))::date < cast(:as_of as date)
),
call_agg as (
  select c.debtor_id,
         count(*) filter (where c.day >= cast(:as_of as date) - 30) as n30,
         count(*) filter (where c.day >= cast(:as_of as date) - 90) as n90,
         count(*) filter (where c.day >= cast(:as_of as date) - 90 and c.outcome in ('right_party_contact', 'promise', 'refusal')) as contacts90,
         cast(:as_of as date) - max(c.day) filter (where c.outcome in ('right_party_contact', 'promise', 'refusal')) as since_contact,
         count(*) filter (where c.day >= cast(:as_of as date) - 90 and c.outcome = 'wrong_number') as wrong90,
         count(*) filter (where c.day >= cast(:as_of as date) - 365 and c.outcome = 'refusal') as refusals365
  from call_days c
  group by c.debtor_id
),
promise_kept as (
  -- a promise is kept when its case receives a payment between the promise and due date + 7 days
  select r.promise_id
  from clean.promises r
  join pay y on y.case_id = r.case_id and y.paid_on >= r.promised_on and y.paid_on <= r.due_on + 7
  group by r.promise_id
),
promise_state as (
  select r.debtor_id, r.promised_on, r.due_on, r.amount,
         -- a promise is judged once its due date plus 7 days of grace has passed
         r.due_on + 7 < cast(:as_of as date) as resolved,
         k.promise_id is not null as kept
  from clean.promises r
  left join promise_kept k on k.promise_id = r.promise_id
  where r.promised_on < cast(:as_of as date)
),
promise_agg as (
  select r.debtor_id,
         count(*) filter (where r.promised_on >= cast(:as_of as date) - 365) as n365,
         count(*) filter (where r.promised_on >= cast(:as_of as date) - 365 and r.resolved and r.kept) as kept365,
         count(*) filter (where r.resolved and r.kept)::double precision
           / nullif(count(*) filter (where r.resolved), 0) as keep_rate,
         cast(:as_of as date) - max(r.promised_on) as since_promise,
         coalesce(sum(r.amount) filter (where r.due_on >= cast(:as_of as date)), 0) as open_amount
  from promise_state r
  group by r.debtor_id
),
phone_agg as (
  select ph.debtor_id,
         count(*) filter (where ph.valid) as n_valid,
         bool_or(ph.valid and ph.phone_type = 'mobile') as valid_mobile
  from clean.phones ph
  where ph.added_on is null or ph.added_on < cast(:as_of as date)
  group by ph.debtor_id
)
select cast(:as_of as date), s.debtor_id, cast(:run_id as text), dbt.office_code,
       round(s.balance, 2), round(s.principal_total, 2), s.n_cases, s.n_open_cases,
       case when cast(:current as boolean) then s.stage_rank end,
       cast(:as_of as date) - s.first_opened, cast(:as_of as date) - s.last_opened, s.paid_share,
       coalesce(pa.n90, 0), coalesce(pa.a90, 0), coalesce(pa.n365, 0), coalesce(pa.a365, 0),
       pa.since_last, pa.last_amount, round(pa.avg_amount, 2),
       coalesce(ca.n30, 0), coalesce(ca.n90, 0), coalesce(ca.contacts90, 0),
       ca.contacts90::double precision / nullif(ca.n90, 0), ca.since_contact,
       coalesce(ca.wrong90, 0), coalesce(ca.refusals365, 0),
       coalesce(pr.n365, 0), coalesce(pr.kept365, 0), pr.keep_rate, pr.since_promise,
       coalesce(pr.open_amount, 0),
       extract(year from age(cast(:as_of as date), dbt.birth_date))::integer,
       coalesce(ph.n_valid, 0), coalesce(ph.valid_mobile, false),
       case when cast(:current as boolean) then coalesce(s.disputed_any, false) else false end,
       coalesce(dbt.postal_code like '97%', false)
from debtor_state s
join clean.debtors dbt on dbt.debtor_id = s.debtor_id
left join pay_agg pa on pa.debtor_id = s.debtor_id
left join call_agg ca on ca.debtor_id = s.debtor_id
left join promise_agg pr on pr.debtor_id = s.debtor_id
left join phone_agg ph on ph.debtor_id = s.debtor_id
where not cast(:current as boolean) or s.any_open_status
