-- The call room's progress on one day, per agent, from the dialer's calls as last loaded
-- (clean.calls): calls, right-party contacts, promises taken that day and their amount (a
-- promise goes to the agent of the debtor's last contact of the day), debtors of the day's list called.
-- Parameters: list_date (date: the day, in the office's zone), time_zone (text).
with day_calls as (
  select c.*, coalesce(c.agent, '') as agent_name from clean.calls c
   where (c.called_at at time zone cast(:time_zone as text))::date = :list_date
), day_promises as (
  select p.debtor_id, p.amount,
         (select dc.agent_name from day_calls dc where dc.debtor_id = p.debtor_id
           order by dc.outcome in ('right_party_contact', 'promise', 'refusal') desc, dc.called_at desc limit 1) as agent_name
    from clean.promises p where p.promised_on = :list_date
)
select a.agent_name as agent,
       count(*)::int as calls,
       count(*) filter (where a.outcome in ('right_party_contact', 'promise', 'refusal'))::int as contacts,
       (select count(*)::int from day_promises p where p.agent_name = a.agent_name) as promises,
       (select coalesce(sum(p.amount), 0)::double precision from day_promises p where p.agent_name = a.agent_name) as promised_amount,
       count(distinct a.debtor_id) filter (where exists (select 1 from dialer.call_list l where l.list_date = :list_date and l.debtor_id = a.debtor_id))::int as listed_debtors_called
  from day_calls a
 group by a.agent_name
 order by count(*) desc, a.agent_name
