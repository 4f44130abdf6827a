-- What each debtor scored on :scored_on actually paid in the :horizon_days days from that date.
-- Parameters: :scored_on (date), :horizon_days (integer)
select s.debtor_id, s.p_pay, s.model_version_id, coalesce(p.paid, 0) as paid
from scoring.scores s
left join (
  select y.debtor_id, sum(y.amount) as paid
  from clean.payments y
  where y.paid_on >= cast(:scored_on as date)
    and y.paid_on < cast(:scored_on as date) + cast(:horizon_days as integer)
  group by y.debtor_id
) p on p.debtor_id = s.debtor_id
where s.as_of = cast(:scored_on as date)
