-- Payments (latest extracted version of each payment_id) linked to their case and, through it, to
-- the person. A payment of an unknown case is left out (see orphans).
-- Parameters: none
insert into clean.payments (payment_id, case_id, debtor_id, paid_on, amount, method, _load_id)
with latest as (
  select distinct on (r.payment_id collate "C") r.*
  from raw.payments r
  order by r.payment_id collate "C", r._load_id desc, r._row_number desc
)
select y.payment_id, c.case_id, c.debtor_id, cast(y.paid_on as date), cast(y.amount as numeric(14,2)),
       case y.method when 'VIR' then 'transfer' when 'CHQ' then 'cheque' when 'CB' then 'card'
                     when 'PRLV' then 'direct_debit' when 'ESP' then 'cash' end,
       y._load_id
from latest y
join clean.cases c on c.case_id = y.case_id
