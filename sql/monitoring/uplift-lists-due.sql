-- Published lists whose horizon has passed by :until (the list date one horizon before tonight):
-- that one, measured again every night it is due, and any older list not measured yet (a night
-- the task did not run), oldest first.
-- Parameters: :until (date)
select cast(p.list_date as text) as list_date
  from dialer.publications p
 where p.list_date <= cast(:until as date)
   and (p.list_date = cast(:until as date)
        or not exists (select 1 from monitoring.realised_uplift u where u.list_date = p.list_date))
 order by p.list_date
