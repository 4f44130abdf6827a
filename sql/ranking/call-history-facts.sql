-- Per debtor, the call, promise and payment history of the 365 days before :list_date that says
-- why a call matters (src/ranking/call-reasons.ts): promises made during a call (an outcome
-- `promise` the same day, in the debtor's time zone) and kept (a payment on the case between the
-- promise and its due date + 7 days, before :list_date), payments, and payments with a call attempt
-- in the 14 days before them (or the same day). Only for the given debtors (the listed ones).
-- Parameters: :list_date (date), :debtor_ids (text[])
with params as (select cast(:list_date as date) as d),
ids as (select unnest(cast(:debtor_ids as text[])) as debtor_id),
call_days as (
  select c.debtor_id, (c.called_at at time zone coalesce(dbt.time_zone, 'Europe/Paris'))::date as day, c.outcome
    from clean.calls c
    join ids on ids.debtor_id = c.debtor_id
    left join clean.debtors dbt on dbt.debtor_id = c.debtor_id
   cross join params p
   where c.called_at < p.d + 1 and c.called_at >= p.d - 380
),
promises as (
  select r.debtor_id,
         exists (select 1 from call_days cd where cd.debtor_id = r.debtor_id and cd.day = r.promised_on and cd.outcome = 'promise') as on_phone,
         exists (select 1 from clean.payments y where y.case_id = r.case_id and y.paid_on >= r.promised_on and y.paid_on <= r.due_on + 7 and y.paid_on < p.d) as kept
    from clean.promises r
    join ids on ids.debtor_id = r.debtor_id
   cross join params p
   where r.promised_on < p.d and r.promised_on >= p.d - 365
),
payments as (
  select y.debtor_id,
         exists (select 1 from call_days cd where cd.debtor_id = y.debtor_id and cd.day <= y.paid_on and cd.day >= y.paid_on - 14) as after_call
    from clean.payments y
    join ids on ids.debtor_id = y.debtor_id
   cross join params p
   where y.paid_on < p.d and y.paid_on >= p.d - 365
)
select ids.debtor_id,
       (select count(*) from promises r where r.debtor_id = ids.debtor_id and r.on_phone)::int as phone_promises,
       (select count(*) from promises r where r.debtor_id = ids.debtor_id and r.on_phone and r.kept)::int as phone_promises_kept,
       (select count(*) from payments y where y.debtor_id = ids.debtor_id)::int as payments,
       (select count(*) from payments y where y.debtor_id = ids.debtor_id and y.after_call)::int as payments_after_call
  from ids
