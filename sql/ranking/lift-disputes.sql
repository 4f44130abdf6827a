-- Lifts the standing disputes of a debtor raised on or before :lifted_on: calls are allowed again
-- from that day (unless the export still marks a case disputed). Returns the disputes lifted.
-- Parameters: debtor_id (text), lifted_on (date), lift_note (text)
update dialer.disputes
   set lifted_on = cast(:lifted_on as date), lift_note = :lift_note
 where debtor_id = :debtor_id and lifted_on is null and raised_on <= cast(:lifted_on as date)
returning debtor_id, case_id, raised_on, source, lifted_on
