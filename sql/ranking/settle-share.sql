-- Share of the payments of the 365 days before list_date that settled their case (brought what
-- was paid on it to the principal plus fees): the chance that a payment clears the balance rather
-- than being an instalment. Null when there was no payment.
-- Parameters: list_date (date)
with params as (select cast(:list_date as date) as d),
paid as (
  select y.paid_on,
         sum(y.amount) over (partition by y.case_id order by y.paid_on, y.payment_id) as cumulative,
         c.principal + coalesce(c.fees, 0) as due
    from clean.payments y
    join clean.cases c on c.case_id = y.case_id
   cross join params p
   where y.paid_on < p.d
)
select avg(case when x.cumulative >= x.due - 0.01 then 1 else 0 end)::double precision as settle_share,
       count(*)::int as payments
  from paid x cross join params p
 where x.paid_on >= p.d - 365
