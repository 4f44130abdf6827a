-- The staged contact slots (publish_slots) of the debtors after `after` (from the first when null)
-- up to `last`, inclusive: those of one page of candidates.
-- Parameters: after (text or null), last (text)
select debtor_id, weekday, hour, attempts, contacts
  from publish_slots
 where (cast(:after as text) is null or debtor_id > cast(:after as text))
   and debtor_id <= cast(:last as text)
 order by debtor_id, weekday, hour
