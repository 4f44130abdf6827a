-- Published call lists, newest first: date, size, teams and offices present, and whether the list
-- is stale (a later night could not replace it; see dialer.publications).
-- Parameters: limit (integer).
select cl.list_date, count(*)::int as n, array_agg(distinct cl.team_id) as teams, array_agg(distinct cl.office_code) as offices,
       sum(cl.expected_recovery) as expected_recovery,
       coalesce(bool_or(p.stale), false) as stale, max(p.stale_since) as stale_since, max(p.stale_reason) as stale_reason
  from dialer.call_list cl
  left join dialer.publications p on p.list_date = cl.list_date
 group by cl.list_date
 order by cl.list_date desc
 limit :limit
