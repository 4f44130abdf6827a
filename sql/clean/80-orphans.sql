-- Lists the extracted rows cleaning left out because their parent is unknown: cases without their
-- debtor, payments and promises without their case, calls and phones without their debtor.
-- Parameters: none
insert into quarantine.orphans (table_name, row_id, missing, missing_id, _load_id)
select 'cases', r.case_id, 'debtor', max(r.debtor_id), max(r._load_id)
from raw.cases r where not exists (select 1 from clean.cases c where c.case_id = r.case_id)
group by r.case_id
union all
select 'payments', r.payment_id, 'case', max(r.case_id), max(r._load_id)
from raw.payments r where not exists (select 1 from clean.payments c where c.payment_id = r.payment_id)
group by r.payment_id
union all
select 'promises', r.promise_id, 'case', max(r.case_id), max(r._load_id)
from raw.promises r where not exists (select 1 from clean.promises c where c.promise_id = r.promise_id)
group by r.promise_id
union all
select 'calls', r.call_id, 'debtor', max(r.debtor_id), max(r._load_id)
from raw.calls r where not exists (select 1 from clean.calls c where c.call_id = r.call_id)
group by r.call_id
union all
select 'phones', r.debtor_id || ' ' || r.phone, 'debtor', r.debtor_id, max(r._load_id)
from raw.phones r where not exists (select 1 from clean.debtor_keys k where k.source_debtor_id = r.debtor_id)
group by r.debtor_id, r.phone
