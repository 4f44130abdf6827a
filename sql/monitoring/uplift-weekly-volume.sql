-- Debtors that would be listed in a week (called plus control with would_be_listed), over the
-- :weeks weeks of lists up to :until: distinct debtors per 7-day block, averaged over the blocks
-- that have a list. A debtor listed on several days of a block counts once.
-- Parameters: :until (date), :weeks (integer)
with eligible as (
  select c.debtor_id, (cast(:until as date) - c.list_date) / 7 as block, cast('called' as text) as arm
    from dialer.call_list c
   where c.list_date <= cast(:until as date) and c.list_date > cast(:until as date) - 7 * cast(:weeks as integer)
  union all
  select h.debtor_id, (cast(:until as date) - h.list_date) / 7, cast('control' as text)
    from dialer.holdout h
   where h.would_be_listed and h.list_date <= cast(:until as date) and h.list_date > cast(:until as date) - 7 * cast(:weeks as integer)
), per_block as (
  select block,
         count(distinct debtor_id) filter (where arm = 'called') as called,
         count(distinct debtor_id) filter (where arm = 'control') as control
    from eligible
   group by block
)
select cast(count(*) as integer) as weeks,
       coalesce(avg(called), 0) as weekly_called,
       coalesce(avg(control), 0) as weekly_control
  from per_block
