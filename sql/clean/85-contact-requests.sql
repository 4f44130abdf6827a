-- Records the do-not-call requests the extracted data carries in dialer.contact_requests, where
-- they stay until lifted (the cleaning never deletes or lifts one):
--   - a call whose outcome is a do-not-call request (OPP): the debtor and the number called,
--     from the call's local date, once per call (source 'calls', source_ref the call id);
--   - the export's do-not-call flag (opposition_demarchage = O): the debtor, from the record's
--     date, unless a request of the export stands already (source 'office_export'). A flag that
--     later disappears from the export does not lift the request; a flag still set after a lift
--     records a new one.
-- Parameters: none
insert into dialer.contact_requests (debtor_id, kind, requested_on, phone_e164, source, source_ref, note)
select c.debtor_id, 'do_not_call', (c.called_at at time zone coalesce(d.time_zone, 'Europe/Paris'))::date,
       c.phone_e164, 'calls', c.call_id, 'do-not-call request on call ' || c.call_id
  from clean.calls c
  left join clean.debtors d on d.debtor_id = c.debtor_id
 where c.do_not_call
union all
select d.debtor_id, 'do_not_call', least(coalesce(d.updated_on, current_date), current_date),
       null, 'office_export', null, 'do-not-call flag of the office export'
  from clean.debtors d
 where d.do_not_call
   and not exists (select 1 from dialer.contact_requests r
                    where r.debtor_id = d.debtor_id and r.kind = 'do_not_call' and r.source = 'office_export' and r.lifted_on is null)
on conflict (source, source_ref) do nothing
