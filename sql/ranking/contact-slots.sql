-- Call attempts and right-party contacts per debtor, local ISO weekday and local hour (in the
-- debtor's time zone), over the history_days days before list_date: what contact rates learn from.
-- Ordered by debtor, weekday and hour: the learned rates then never depend on the plan.
-- Parameters: list_date (date), history_days (integer)
select c.debtor_id, d.office_code,
       extract(isodow from c.called_at at time zone tz.zone)::int as weekday,
       extract(hour from c.called_at at time zone tz.zone)::int as hour,
       count(*)::int as attempts,
       count(*) filter (where c.outcome in ('right_party_contact', 'promise', 'refusal'))::int as contacts
  from clean.calls c
  left join clean.debtors d on d.debtor_id = c.debtor_id
  cross join lateral (select coalesce(d.time_zone, 'Europe/Paris') as zone) tz
 where c.called_at is not null
   and (c.called_at at time zone tz.zone)::date < cast(:list_date as date)
   and (c.called_at at time zone tz.zone)::date >= cast(:list_date as date) - cast(:history_days as integer)
 group by 1, 2, 3, 4
 order by 1, 3, 4
