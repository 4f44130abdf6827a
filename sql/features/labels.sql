-- Labels of the snapshot :as_of: what each debtor of that snapshot paid in the :horizon_days
-- days from :as_of on (payments dated as_of <= paid_on < as_of + horizon), and whether that
-- reaches :min_amount. Only the future of the snapshot is read here, never its features.
-- Parameters: :as_of (date), :horizon_days (integer), :min_amount (numeric)
insert into features.labels (as_of, debtor_id, horizon_days, paid_amount, label)
select f.as_of, f.debtor_id, cast(:horizon_days as integer),
       coalesce(sum(y.amount), 0),
       coalesce(sum(y.amount), 0) >= cast(:min_amount as numeric)
from features.debtor_features f
left join clean.payments y
  on y.debtor_id = f.debtor_id
 and y.paid_on >= f.as_of
 and y.paid_on < f.as_of + cast(:horizon_days as integer)
where f.as_of = cast(:as_of as date)
group by f.as_of, f.debtor_id
