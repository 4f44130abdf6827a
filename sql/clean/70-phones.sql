-- Phone numbers of each person, normalised to E.164. An invalid number is kept with valid = false
-- and a null phone_e164; the same number written two ways is kept once (its earliest addition).
-- Parameters: none
insert into clean.phones (debtor_id, phone_e164, phone_type, valid, added_on, _load_id)
with ids as (
  select source_debtor_id, min(debtor_id) as debtor_id from clean.debtor_keys group by source_debtor_id
),
typed as (
  select i.debtor_id, clean.phone_e164(r.phone) as e164, r.phone, r.phone_type, cast(r.added_on as date) as added_on, r._load_id
  from raw.phones r
  join ids i on i.source_debtor_id = r.debtor_id
)
select distinct on (t.debtor_id collate "C", coalesce(t.e164, t.phone) collate "C")
       t.debtor_id, t.e164,
       case t.phone_type when 'MOBILE' then 'mobile' when 'FIXE' then 'landline' when 'PRO' then 'work' end,
       t.e164 is not null, t.added_on, t._load_id
from typed t
order by t.debtor_id collate "C", coalesce(t.e164, t.phone) collate "C", t.added_on nulls last, t._load_id desc
