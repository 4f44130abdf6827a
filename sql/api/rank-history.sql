-- A debtor's places on past call lists, with the score of that day, oldest first.
-- Parameters: debtor_id.
select cl.list_date, cl.team_id, cl.rank, cl.p_pay, cl.expected_recovery
  from dialer.call_list cl
 where cl.debtor_id = :debtor_id
 order by cl.list_date
