-- analyst.calls: every call with its local day and hour in the debtor's time zone, and whether it
-- reached the debtor (right-party contact, promise or refusal).
-- Parameters: none
create or replace view analyst.calls as
select k.call_id, k.debtor_id, k.case_id, k.called_at,
       cast(k.called_at at time zone coalesce(d.time_zone, 'Europe/Paris') as date) as local_day,
       cast(extract(hour from k.called_at at time zone coalesce(d.time_zone, 'Europe/Paris')) as integer) as local_hour,
       k.duration_s, k.outcome, k.outcome in ('right_party_contact', 'promise', 'refusal') as reached, k.agent,
       k.phone_e164 is not null as valid_phone
from clean.calls k
left join clean.debtors d on d.debtor_id = k.debtor_id
