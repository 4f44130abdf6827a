-- The call room's progress on one day, per agent: the calls logged in relance's own call log that
-- day (live), and the dialer's calls of that day as last loaded into clean.calls (the call log's
-- own calls come back there as RL-<outcome_id> and are not counted twice). Promises: those logged
-- in the call room with their amount; the dialer's, from clean.promises of that day (not those the
-- call log made, call:RL-…), go to the agent of the debtor's last contact of the day.
-- Parameters: list_date (date: the day, in the office's zone), time_zone (text).
with logged as (
  select o.agent_name as agent, o.debtor_id, 'call_log'::text as source,
         o.outcome in ('promise', 'refusal', 'dispute', 'do_not_call', 'callback') as contact,
         o.outcome = 'promise' as promise, coalesce(o.promise_amount, 0) as amount
    from dialer.call_outcomes o
   where (o.called_at at time zone cast(:time_zone as text))::date = :list_date
), dialled as (
  select coalesce(c.agent, '') as agent, c.debtor_id, c.called_at,
         c.outcome in ('right_party_contact', 'promise', 'refusal') as contact
    from clean.calls c
   where (c.called_at at time zone cast(:time_zone as text))::date = :list_date
     and c.call_id not like 'RL-%'
), dialer_promises as (
  select p.amount,
         (select d.agent from dialled d where d.debtor_id = p.debtor_id
           order by d.contact desc, d.called_at desc limit 1) as agent
    from clean.promises p
   where p.promised_on = :list_date and p.promise_id not like 'call:RL-%'
), events as (
  select agent, debtor_id, source, contact, promise, amount, 1 as call from logged
  union all
  select agent, debtor_id, 'dialer', contact, false, 0, 1 from dialled
  union all
  select agent, null, 'dialer', false, true, amount, 0 from dialer_promises where agent is not null
)
select e.agent,
       sum(e.call)::int as calls,
       count(*) filter (where e.contact)::int as contacts,
       count(*) filter (where e.promise)::int as promises,
       coalesce(sum(e.amount) filter (where e.promise), 0)::double precision as promised_amount,
       count(distinct e.debtor_id) filter (where exists (select 1 from dialer.call_list l where l.list_date = :list_date and l.debtor_id = e.debtor_id))::int as listed_debtors_called,
       count(*) filter (where e.source = 'call_log' and e.call = 1)::int as logged_calls
  from events e
 group by e.agent
 order by sum(e.call) desc, e.agent
