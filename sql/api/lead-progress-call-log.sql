-- The call room's progress on one day, per agent, from relance's own call log: calls logged,
-- right-party contacts, promises and the amount promised, debtors of that day's list worked.
-- Parameters: list_date (date: the day, in the office's zone), time_zone (text).
select o.agent_name as agent,
       count(*)::int as calls,
       count(*) filter (where o.outcome in ('promise', 'refusal', 'dispute', 'do_not_call', 'callback'))::int as contacts,
       count(*) filter (where o.outcome = 'promise')::int as promises,
       coalesce(sum(o.promise_amount) filter (where o.outcome = 'promise'), 0)::double precision as promised_amount,
       count(distinct o.debtor_id) filter (where o.list_date = :list_date)::int as listed_debtors_called
  from dialer.call_outcomes o
 where (o.called_at at time zone cast(:time_zone as text))::date = :list_date
 group by o.agent_name
 order by count(*) desc, o.agent_name
