-- The debtors excluded from one list date, with their name, the rule and its plain detail,
-- optionally for one rule and one name or id (compared without case or accents).
-- Parameters: list_date (date), rule (text or null), search (text or null), limit, offset.
select e.debtor_id, d.last_name, d.first_name, d.office_code, e.rule, e.detail, count(*) over ()::int as total
  from dialer.exclusions e
  left join clean.debtors d on d.debtor_id = e.debtor_id
 where e.list_date = :list_date
   and (cast(:rule as text) is null or e.rule = :rule)
   and (cast(:search as text) is null
        or clean.search_key(e.debtor_id) like '%' || clean.search_key(:search) || '%'
        or clean.search_key(d.last_name) like '%' || clean.search_key(:search) || '%'
        or clean.search_key(d.first_name) like '%' || clean.search_key(:search) || '%')
 order by e.rule, d.last_name, e.debtor_id
 limit :limit offset :offset
