-- Promises to pay (latest extracted version of each promise_id) linked to their case and person.
-- The office's promise status is not kept: it describes the future of older snapshots.
-- Parameters: none
insert into clean.promises (promise_id, case_id, debtor_id, promised_on, amount, due_on, _load_id)
with latest as (
  select distinct on (r.promise_id collate "C") r.*
  from raw.promises r
  order by r.promise_id collate "C", r._load_id desc, r._row_number desc
)
select p.promise_id, c.case_id, c.debtor_id, cast(p.promised_on as date), cast(p.amount as numeric(14,2)),
       cast(p.due_on as date), p._load_id
from latest p
join clean.cases c on c.case_id = p.case_id
