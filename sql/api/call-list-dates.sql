-- Published call lists, newest first: date, size, teams and offices present.
-- Parameters: limit (integer).
select list_date, count(*)::int as n, array_agg(distinct team_id) as teams, array_agg(distinct office_code) as offices,
       sum(expected_recovery) as expected_recovery
  from dialer.call_list
 group by list_date
 order by list_date desc
 limit :limit
