-- One row per person: the attributes of the record whose office id became the debtor_id; a
-- do-not-call request in any office applies to the person; updated_on is the latest of them.
-- Parameters: none
insert into clean.debtors (debtor_id, office_code, title, last_name, first_name, birth_date, postal_code, city, country,
                           time_zone, do_not_call, updated_on, _load_id)
with latest as (
  select distinct on (r.office_code collate "C", r.debtor_id collate "C") r.*
  from raw.debtors r
  order by r.office_code collate "C", r.debtor_id collate "C", r._load_id desc, r._row_number desc
),
records as (
  select k.debtor_id as person_id, l.*
  from latest l
  join clean.debtor_keys k on k.office_code = l.office_code and k.source_debtor_id = l.debtor_id
),
person as (
  select person_id, bool_or(do_not_call = 'O') as do_not_call, max(cast(updated_on as date)) as updated_on
  from records
  group by person_id
)
select distinct on (r.person_id)
       r.person_id, r.office_code,
       case r.title when 'M.' then 'mr' when 'Mme' then 'mrs' end,
       r.last_name, r.first_name, cast(r.birth_date as date), r.postal_code, r.city, upper(coalesce(r.country, 'FR')),
       clean.time_zone_of(r.postal_code, upper(coalesce(r.country, 'FR'))),
       coalesce(p.do_not_call, false), p.updated_on, r._load_id
from records r
join person p on p.person_id = r.person_id
where r.debtor_id = r.person_id
order by r.person_id, r.office_code
