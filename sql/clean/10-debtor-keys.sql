-- Maps every office debtor record (latest extracted version of each office_code, id) to relance's
-- person id. Records of one person in several offices (same folded last name, first name and
-- birth date) share one debtor_id: the smallest of their office ids. Without a birth date a
-- record is never merged.
-- Parameters: none
insert into clean.debtor_keys (office_code, source_debtor_id, debtor_id, _load_id)
with latest as (
  select distinct on (r.office_code collate "C", r.debtor_id collate "C") r.office_code, r.debtor_id, r.last_name, r.first_name, r.birth_date, r._load_id
  from raw.debtors r
  order by r.office_code collate "C", r.debtor_id collate "C", r._load_id desc, r._row_number desc
)
select l.office_code, l.debtor_id,
       case when l.birth_date is null then l.debtor_id
            else min(l.debtor_id) over (partition by clean.fold_name(l.last_name) collate "C", clean.fold_name(l.first_name) collate "C", l.birth_date) end,
       l._load_id
from latest l
