-- Calls (latest extracted version of each call_id) attached to the person. The office writes
-- local times: they are read in the debtor's time zone (overseas departments have their own).
-- The dialled number is normalised to E.164 (null when invalid; each distinct text once); an unknown case_id is dropped
-- from the call, an unknown debtor leaves the call out (see orphans). A do-not-call request made
-- on the call (OPP) is a refusal flagged do_not_call (85-contact-requests records the request); a
-- promise keeps the amount and due date the source gives (65-call-promises makes it a promise).
-- Parameters: none
insert into clean.calls (call_id, debtor_id, case_id, phone_e164, called_at, duration_s, outcome, agent, do_not_call,
                         promise_amount, promise_due_on, _load_id)
with latest as (
  select distinct on (r.call_id collate "C") r.*
  from raw.calls r
  order by r.call_id collate "C", r._load_id desc, r._row_number desc
),
numbers as (
  select n.phone, clean.phone_e164(n.phone) as e164 from (select distinct phone from latest) n
),
ids as (
  select source_debtor_id, min(debtor_id) as debtor_id from clean.debtor_keys group by source_debtor_id
)
select a.call_id, i.debtor_id, c.case_id, n.e164,
       cast(a.called_at as timestamp) at time zone coalesce(d.time_zone, 'Europe/Paris'),
       cast(a.duration_s as integer),
       case a.outcome when 'NRP' then 'no_answer' when 'OCC' then 'busy' when 'FNUM' then 'wrong_number'
                      when 'CTC' then 'right_party_contact' when 'PROM' then 'promise' when 'REF' then 'refusal'
                      when 'OPP' then 'refusal' when 'TIERS' then 'third_party' end,
       a.agent, a.outcome = 'OPP',
       case when a.outcome = 'PROM' then cast(a.promise_amount as numeric(14,2)) end,
       case when a.outcome = 'PROM' then cast(a.promise_due_on as date) end,
       a._load_id
from latest a
join ids i on i.source_debtor_id = a.debtor_id
left join clean.debtors d on d.debtor_id = i.debtor_id
left join clean.cases c on c.case_id = a.case_id
left join numbers n on n.phone = a.phone
