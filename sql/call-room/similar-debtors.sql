-- Debtors like this one, one month ago, and what they paid in the 30 days that followed. Alike
-- means: the same legal stage (the most advanced of the open cases; the export keeps no history of
-- stages, so an older snapshot's stage is the case's current one), a balance within −20 % / +25 % of this debtor's, the same payment
-- history (no payment, 1–2, 3 or more in the year) and the same promise history (none, some
-- kept, only broken). The reference snapshot is the latest one at least 30 days before the list
-- date, so the 30 days that follow are all in the data.
-- Parameters: debtor_id (text), list_date (date)
with me as (
  select f.balance, f.legal_stage_rank,
         case when f.n_payments_365d = 0 then 0 when f.n_payments_365d <= 2 then 1 else 2 end as pay_class,
         case when f.n_promises_365d = 0 then 0 when f.n_promises_kept_365d > 0 then 1 else 2 end as promise_class
    from features.debtor_features f
   where f.debtor_id = :debtor_id and f.as_of <= cast(:list_date as date)
   order by f.as_of desc limit 1
),
ref as (
  select max(as_of) as as_of from features.debtor_features where as_of <= cast(:list_date as date) - 30
),
peers as (
  select f.debtor_id, f.as_of
    from features.debtor_features f
    cross join me
    cross join ref
   where f.as_of = ref.as_of and f.debtor_id <> :debtor_id and f.n_open_cases > 0
     and coalesce(f.legal_stage_rank, (
           select max(case c.legal_stage when 'amicable' then 0 when 'injunction' then 1
                                         when 'enforceable_title' then 2 when 'seizure' then 3 end)
             from clean.cases c where c.debtor_id = f.debtor_id and c.status = 'open')) is not distinct from me.legal_stage_rank
     and f.balance >= me.balance * 0.8 and f.balance <= me.balance * 1.25
     and case when f.n_payments_365d = 0 then 0 when f.n_payments_365d <= 2 then 1 else 2 end = me.pay_class
     and case when f.n_promises_365d = 0 then 0 when f.n_promises_kept_365d > 0 then 1 else 2 end = me.promise_class
),
paid as (
  select p.debtor_id, coalesce(sum(y.amount), 0) as amount
    from peers p
    left join clean.payments y on y.debtor_id = p.debtor_id and y.paid_on >= p.as_of and y.paid_on < p.as_of + 30
   group by p.debtor_id
)
select (select as_of from ref)::text as as_of,
       (select balance from me) as balance, (select legal_stage_rank from me) as legal_stage_rank,
       (select pay_class from me) as pay_class, (select promise_class from me) as promise_class,
       count(*)::int as n,
       (count(*) filter (where amount > 0))::int as n_paid,
       coalesce(sum(amount), 0)::double precision as paid_total,
       (percentile_cont(0.5) within group (order by amount) filter (where amount > 0))::double precision as paid_median
  from paid
