-- How many rows of a published call list match the filters of call-list.sql.
-- Parameters: list_date (date), team (text or null), office (text or null), search (text or null; compared without case or accents).
select count(*)::int as total
  from dialer.call_list cl
 where cl.list_date = :list_date
   and (cast(:team as text) is null or cl.team_id = :team)
   and (cast(:office as text) is null or cl.office_code = :office)
   and (cast(:search as text) is null
        or clean.search_key(cl.debtor_id) like '%' || clean.search_key(:search) || '%'
        or exists (select 1 from clean.debtors d
                    where d.debtor_id = cl.debtor_id
                      and (clean.search_key(d.last_name) like '%' || clean.search_key(:search) || '%' or clean.search_key(d.first_name) like '%' || clean.search_key(:search) || '%')))
