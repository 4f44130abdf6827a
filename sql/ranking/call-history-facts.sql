-- Per debtor, the call, promise and payment history of the 365 days before :list_date that says
-- why a call matters (src/ranking/call-reasons.ts): promises made during a call (an outcome
-- `promise` the same local day, in the debtor's time zone) and kept (a payment on the case between
-- the promise and its due date + 7 days, before :list_date), payments, and payments with a call
-- attempt in the 14 days before them (or the same day). Only for the given debtors (the listed
-- ones); every lookup goes through the calls_debtor and payments_case indexes.
-- Parameters: :list_date (date), :debtor_ids (text[])
with params as (select cast(:list_date as date) as d),
ids as (
  select i.debtor_id, coalesce(dbt.time_zone, 'Europe/Paris') as tz
    from unnest(cast(:debtor_ids as text[])) as i(debtor_id)
    left join clean.debtors dbt on dbt.debtor_id = i.debtor_id
),
promises as (
  select ids.debtor_id,
         count(*) filter (where on_phone) as phone_promises,
         count(*) filter (where on_phone and kept) as phone_promises_kept
    from ids
    join clean.promises r on r.debtor_id = ids.debtor_id
   cross join params p
   cross join lateral (
     select exists (select 1 from clean.calls c
                     where c.debtor_id = r.debtor_id and c.outcome = 'promise'
                       and c.called_at >= (r.promised_on::timestamp at time zone ids.tz)
                       and c.called_at < ((r.promised_on + 1)::timestamp at time zone ids.tz)) as on_phone,
            exists (select 1 from clean.payments y
                     where y.case_id = r.case_id and y.paid_on >= r.promised_on and y.paid_on <= r.due_on + 7 and y.paid_on < p.d) as kept
   ) x
   where r.promised_on < p.d and r.promised_on >= p.d - 365
   group by ids.debtor_id
),
payments as (
  select ids.debtor_id,
         count(*) as payments,
         count(*) filter (where exists (select 1 from clean.calls c
                                         where c.debtor_id = y.debtor_id
                                           and c.called_at >= ((y.paid_on - 14)::timestamp at time zone ids.tz)
                                           and c.called_at < ((y.paid_on + 1)::timestamp at time zone ids.tz))) as payments_after_call
    from ids
    join clean.payments y on y.debtor_id = ids.debtor_id
   cross join params p
   where y.paid_on < p.d and y.paid_on >= p.d - 365
   group by ids.debtor_id
)
select ids.debtor_id,
       coalesce(pr.phone_promises, 0)::int as phone_promises,
       coalesce(pr.phone_promises_kept, 0)::int as phone_promises_kept,
       coalesce(py.payments, 0)::int as payments,
       coalesce(py.payments_after_call, 0)::int as payments_after_call
  from ids
  left join promises pr on pr.debtor_id = ids.debtor_id
  left join payments py on py.debtor_id = ids.debtor_id
