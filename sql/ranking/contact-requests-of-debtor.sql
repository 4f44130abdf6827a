-- The requests of a debtor, standing and lifted, oldest first.
-- Parameters: debtor_id
select request_id, debtor_id, kind, phone_e164, source, source_ref, requested_on::text as requested_on,
       lifted_on::text as lifted_on, note, lift_note, recorded_at
  from dialer.contact_requests
 where debtor_id = :debtor_id
 order by requested_on, recorded_at, request_id
