-- Records a do-not-call or cease-communication request; a source writes each of its requests
-- once (same source and source_ref: nothing is written). Returns the request, new or existing.
-- Parameters: debtor_id, kind, requested_on (date), phone_e164 (null: every number of the
-- debtor), source, source_ref (null: no id of the source's own), note
with inserted as (
  insert into dialer.contact_requests (debtor_id, kind, requested_on, phone_e164, source, source_ref, note)
  values (:debtor_id, :kind, cast(:requested_on as date), :phone_e164, :source, :source_ref, :note)
  on conflict (source, source_ref) do nothing
  returning request_id, requested_on::text as requested_on, lifted_on::text as lifted_on, true as created
)
select request_id, requested_on, lifted_on, created from inserted
union all
select r.request_id, r.requested_on::text, r.lifted_on::text, false
  from dialer.contact_requests r
 where r.source = :source and r.source_ref = :source_ref and not exists (select 1 from inserted)
