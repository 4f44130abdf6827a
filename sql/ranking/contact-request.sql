-- One request by its id.
-- Parameters: request_id
select request_id, debtor_id, kind, phone_e164, source, source_ref, requested_on::text as requested_on,
       lifted_on::text as lifted_on, note, lift_note, recorded_at
  from dialer.contact_requests
 where request_id = :request_id
