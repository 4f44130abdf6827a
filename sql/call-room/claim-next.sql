-- Claims the best-ranked debtor of the list that nobody holds (no claim, or an unworked claim
-- past its expiry) for an agent; returns the claim, or no row when another agent took the same
-- debtor first (the caller tries again). Rank 1 of every team comes before rank 2 of any.
-- Parameters: list_date (date), team_id (text, null: every team), agent_id, agent_name (text),
--             now, expires_at (timestamptz)
with pick as (
  select l.list_date, l.debtor_id
    from dialer.call_list l
   where l.list_date = cast(:list_date as date)
     and (cast(:team_id as text) is null or l.team_id = cast(:team_id as text))
     and not exists (
       select 1 from dialer.claims c
        where c.list_date = l.list_date and c.debtor_id = l.debtor_id
          and (c.worked_at is not null or c.expires_at > cast(:now as timestamptz)))
   order by l.rank, l.team_id
   limit 1
   for update of l skip locked
)
insert into dialer.claims (list_date, debtor_id, agent_id, agent_name, claimed_at, expires_at)
select p.list_date, p.debtor_id, :agent_id, :agent_name, cast(:now as timestamptz), cast(:expires_at as timestamptz)
  from pick p
on conflict (list_date, debtor_id) do update
   set agent_id = excluded.agent_id, agent_name = excluded.agent_name, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
 where dialer.claims.worked_at is null and dialer.claims.expires_at <= excluded.claimed_at
returning list_date, debtor_id, agent_id, expires_at
