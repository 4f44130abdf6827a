-- What the two groups of the list of :list_date paid in the :horizon_days days from the list date:
-- called (on the list) and control (held out but would have been listed). Per group: debtors,
-- payers (total paid >= :min_paid), total, mean and sample variance of the € recovered per debtor.
-- Parameters: :list_date (date), :horizon_days (integer), :min_paid (number)
with arms as (
  select c.debtor_id, cast('called' as text) as arm
    from dialer.call_list c
   where c.list_date = cast(:list_date as date)
  union all
  select h.debtor_id, cast('control' as text)
    from dialer.holdout h
   where h.list_date = cast(:list_date as date) and h.would_be_listed
), outcomes as (
  select a.arm, a.debtor_id, cast(coalesce(sum(p.amount), 0) as double precision) as recovered
    from arms a
    left join clean.payments p
      on p.debtor_id = a.debtor_id
     and p.paid_on >= cast(:list_date as date)
     and p.paid_on < cast(:list_date as date) + cast(:horizon_days as integer)
   group by a.arm, a.debtor_id
)
select arm,
       cast(count(*) as integer) as n,
       cast(count(*) filter (where recovered >= cast(:min_paid as double precision)) as integer) as n_paid,
       sum(recovered) as total,
       avg(recovered) as mean,
       coalesce(var_samp(recovered), 0) as variance
  from outcomes
 group by arm
