-- analyst.debtors: one row per person (after merging offices) with their balance, cases and last
-- payment. Balance = principal + fees − payments, over cases not closed, written off or settled.
-- do_not_call: the export's flag or a do-not-call request from any source that is not lifted.
-- Parameters: none
create or replace view analyst.debtors as
select d.debtor_id, d.office_code, d.title, d.last_name, d.first_name, d.birth_date, d.postal_code, d.city, d.country,
       d.time_zone,
       coalesce(d.do_not_call, false) or exists (select 1 from dialer.contact_requests r
                                                   where r.debtor_id = d.debtor_id and r.kind = 'do_not_call' and r.lifted_on is null) as do_not_call,
       d.updated_on,
       coalesce(c.n_cases, 0) as n_cases,
       coalesce(c.n_open_cases, 0) as n_open_cases,
       coalesce(c.balance, 0) as balance,
       p.last_paid_on,
       coalesce(p.total_paid, 0) as total_paid,
       (select count(*) from clean.phones f where f.debtor_id = d.debtor_id and f.valid) as n_valid_phones
from clean.debtors d
left join (
  select x.debtor_id, count(*) as n_cases,
         count(*) filter (where x.status = 'open') as n_open_cases,
         sum(greatest(x.principal + coalesce(x.fees, 0) - x.paid, 0)) filter (where x.status in ('open', 'suspended')) as balance
  from analyst.cases x
  group by x.debtor_id
) c on c.debtor_id = d.debtor_id
left join (
  select debtor_id, max(paid_on) as last_paid_on, sum(amount) as total_paid from clean.payments group by debtor_id
) p on p.debtor_id = d.debtor_id
