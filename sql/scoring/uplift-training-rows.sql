-- Labelled rows of one training snapshot for the uplift model: the debtor's features as of :as_of,
-- whether it paid within :horizon_days (features.labels), whether it was called (any attempt) in
-- the :treatment_days from :as_of — the treatment — and what the calls of the :horizon_days from
-- :as_of brought: right-party contacts (outcome right_party_contact, promise or refusal), promises
-- on the phone (outcome promise), promises made in that window and those kept (a payment on the
-- case between the promise and its due date + 7 days), as flags and counts. Days are local days in
-- :tz. Debtors with an outstanding balance only. Calls and promises are aggregated once per
-- snapshot and joined (no per-row subquery: PGlite runs this too).
-- Parameters: :as_of (date), :horizon_days (integer), :treatment_days (integer), :tz (IANA time zone)
with params as (
  select cast(:as_of as date) as d,
         (cast(:as_of as date)::timestamp at time zone cast(:tz as text)) as t0,
         ((cast(:as_of as date) + cast(:treatment_days as integer))::timestamp at time zone cast(:tz as text)) as t_treated,
         ((cast(:as_of as date) + cast(:horizon_days as integer))::timestamp at time zone cast(:tz as text)) as t_horizon
),
window_calls as (
  select c.debtor_id,
         count(*) filter (where c.called_at < p.t_treated) as n_treated,
         count(*) filter (where c.outcome in ('right_party_contact', 'promise', 'refusal')) as n_contacts,
         count(*) filter (where c.outcome = 'promise') as n_phone_promises
    from clean.calls c, params p
   where c.called_at >= p.t0 and c.called_at < p.t_horizon
   group by c.debtor_id
),
window_promises as (
  select r.debtor_id,
         count(*) as n_promises,
         count(*) filter (where exists (select 1 from clean.payments y
                                         where y.case_id = r.case_id and y.paid_on >= r.promised_on and y.paid_on <= r.due_on + 7)) as n_kept
    from clean.promises r, params p
   where r.promised_on >= p.d and r.promised_on < p.d + cast(:horizon_days as integer)
   group by r.debtor_id
)
select f.*, to_char(f.as_of, 'YYYY-MM-DD') as as_of, l.label,
       coalesce(wc.n_treated, 0) > 0 as treated,
       coalesce(wc.n_contacts, 0) > 0 as contacted,
       coalesce(wc.n_phone_promises, 0) > 0 as promised,
       coalesce(wp.n_kept, 0) > 0 as kept,
       coalesce(wc.n_contacts, 0)::int as n_contacts,
       coalesce(wc.n_phone_promises, 0)::int as n_phone_promises,
       coalesce(wp.n_promises, 0)::int as n_promises,
       coalesce(wp.n_kept, 0)::int as n_kept
  from features.debtor_features f
  cross join params p
  join features.labels l on l.as_of = f.as_of and l.debtor_id = f.debtor_id and l.horizon_days = cast(:horizon_days as integer)
  left join window_calls wc on wc.debtor_id = f.debtor_id
  left join window_promises wp on wp.debtor_id = f.debtor_id
 where f.as_of = p.d and f.balance > 0
 order by f.debtor_id
