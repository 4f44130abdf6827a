-- analyst.cases: every case with what has been paid on it and what remains due.
-- Parameters: none
create or replace view analyst.cases as
select c.case_id, c.debtor_id, c.office_code, c.creditor, c.claim_type, c.principal, c.fees, c.opened_on,
       c.legal_stage, c.status, c.disputed,
       coalesce(p.paid, 0) as paid,
       greatest(c.principal + coalesce(c.fees, 0) - coalesce(p.paid, 0), 0) as remaining,
       p.n_payments, p.last_paid_on
from clean.cases c
left join (
  select case_id, sum(amount) as paid, count(*) as n_payments, max(paid_on) as last_paid_on from clean.payments group by case_id
) p on p.case_id = c.case_id
