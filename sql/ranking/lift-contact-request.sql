-- Lifts a standing request from a date on (calls allowed again from lifted_on); a request already
-- lifted, or one requested after lifted_on, is left as it is (no row returned).
-- Parameters: request_id, lifted_on (date), lift_note
update dialer.contact_requests
   set lifted_on = cast(:lifted_on as date), lift_note = :lift_note
 where request_id = :request_id and lifted_on is null and requested_on <= cast(:lifted_on as date)
returning request_id, debtor_id, kind, requested_on::text as requested_on, lifted_on::text as lifted_on
