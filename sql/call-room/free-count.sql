-- How many debtors of the list nobody holds or has worked (the call room's remaining pool).
-- Parameters: list_date (date), team_id (text, null: every team), now (timestamptz)
select count(*)::int as n
  from dialer.call_list l
 where l.list_date = cast(:list_date as date)
   and (cast(:team_id as text) is null or l.team_id = cast(:team_id as text))
   and not exists (
     select 1 from dialer.claims c
      where c.list_date = l.list_date and c.debtor_id = l.debtor_id
        and (c.worked_at is not null or c.expires_at > cast(:now as timestamptz)))
