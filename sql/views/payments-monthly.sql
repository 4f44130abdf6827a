-- analyst.payments_monthly: payments per office, month and method.
-- Parameters: none
create or replace view analyst.payments_monthly as
select c.office_code, cast(date_trunc('month', p.paid_on) as date) as month, p.method,
       count(*) as n_payments, sum(p.amount) as amount, count(distinct p.debtor_id) as n_debtors
from clean.payments p
join clean.cases c on c.case_id = p.case_id
group by c.office_code, cast(date_trunc('month', p.paid_on) as date), p.method
