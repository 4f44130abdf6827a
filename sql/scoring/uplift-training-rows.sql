-- Labelled rows of one training snapshot for the uplift model: the debtor's features as of :as_of,
-- whether it paid within :horizon_days (features.labels), whether it was called (any attempt, by
-- its local day in :tz) in the :treatment_days from :as_of — the treatment — and what the calls of
-- the :horizon_days from :as_of brought: a right-party contact (outcome right_party_contact,
-- promise or refusal), a promise on the phone (outcome promise), and a promise made in that window
-- and kept (a payment on its case between the promise and its due date + 7 days). Debtors with an
-- outstanding balance only.
-- Parameters: :as_of (date), :horizon_days (integer), :treatment_days (integer), :tz (IANA time zone)
with params as (
  select cast(:as_of as date) as d,
         (cast(:as_of as date)::timestamp at time zone cast(:tz as text)) as t0,
         ((cast(:as_of as date) + cast(:treatment_days as integer))::timestamp at time zone cast(:tz as text)) as t_treated,
         ((cast(:as_of as date) + cast(:horizon_days as integer))::timestamp at time zone cast(:tz as text)) as t_horizon
)
select f.*, to_char(f.as_of, 'YYYY-MM-DD') as as_of, l.label,
       exists (select 1 from clean.calls c
                where c.debtor_id = f.debtor_id and c.called_at >= p.t0 and c.called_at < p.t_treated) as treated,
       exists (select 1 from clean.calls c
                where c.debtor_id = f.debtor_id and c.called_at >= p.t0 and c.called_at < p.t_horizon
                  and c.outcome in ('right_party_contact', 'promise', 'refusal')) as contacted,
       exists (select 1 from clean.calls c
                where c.debtor_id = f.debtor_id and c.called_at >= p.t0 and c.called_at < p.t_horizon and c.outcome = 'promise') as promised,
       exists (select 1 from clean.promises r
                 join clean.payments y on y.case_id = r.case_id and y.paid_on >= r.promised_on and y.paid_on <= r.due_on + 7
                where r.debtor_id = f.debtor_id and r.promised_on >= p.d and r.promised_on < p.d + cast(:horizon_days as integer)) as kept
  from features.debtor_features f
  cross join params p
  join features.labels l on l.as_of = f.as_of and l.debtor_id = f.debtor_id and l.horizon_days = cast(:horizon_days as integer)
 where f.as_of = p.d and f.balance > 0
 order by f.debtor_id
