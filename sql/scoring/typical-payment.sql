-- The typical payment of the debtors of a snapshot who have paid before: the median of their mean
-- payment (what src/ranking/expected-value.ts typicalPayment computes over tonight's candidates).
-- Null when nobody has paid. Parameters: :as_of (date)
select percentile_cont(0.5) within group (order by f.avg_payment_amount)::double precision as typical_payment
  from features.debtor_features f
 where f.as_of = cast(:as_of as date) and f.avg_payment_amount > 0
