-- Promises taken on a call whose source gives their amount and due date (the dialer's promise
-- statuses with the fields the agent filled in): a promise per call, id 'call:' || call_id,
-- promised on the call's local date, on the call's case or else the debtor's open case with the
-- largest principal and fees. The same promise (debtor, amount, due date) read again on a later
-- call, or already exported by the office, is kept once. A promise outcome without amount or due
-- date stays a call outcome.
-- Parameters: none
insert into clean.promises (promise_id, case_id, debtor_id, promised_on, amount, due_on, _load_id)
select distinct on (c.debtor_id collate "C", c.promise_amount, c.promise_due_on)
       'call:' || c.call_id, coalesce(c.case_id, oc.case_id), c.debtor_id,
       (c.called_at at time zone coalesce(d.time_zone, 'Europe/Paris'))::date,
       c.promise_amount, c.promise_due_on, c._load_id
from clean.calls c
left join clean.debtors d on d.debtor_id = c.debtor_id
left join lateral (
  select k.case_id from clean.cases k
   where k.debtor_id = c.debtor_id and k.status = 'open'
   order by k.principal + coalesce(k.fees, 0) desc, k.case_id collate "C"
   limit 1
) oc on true
where c.outcome = 'promise' and c.promise_amount is not null and c.promise_due_on is not null
  and coalesce(c.case_id, oc.case_id) is not null
  and not exists (select 1 from clean.promises o
                   where o.debtor_id = c.debtor_id and o.amount = c.promise_amount and o.due_on = c.promise_due_on)
order by c.debtor_id collate "C", c.promise_amount, c.promise_due_on, c.called_at, c.call_id collate "C"
