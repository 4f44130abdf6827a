-- Do-not-call and cease-communication requests from every source in one table (docs/call-list.md):
-- the office's export flag, the dialer's call outcomes, requests recorded by the office or by
-- relance's own call log. A request is permanent until it is lifted (lifted_on); nothing deletes it.
-- The dialer's results may also carry a promise's amount and due date (raw.calls, clean.calls).

alter table dialer.contact_requests drop constraint contact_requests_pkey;
alter table dialer.contact_requests
  add column request_id text not null default gen_random_uuid()::text,
  add column phone_e164 text,
  add column source text not null default 'office',
  add column source_ref text,
  add column lifted_on date,
  add column lift_note text,
  add column recorded_at timestamptz not null default now();
alter table dialer.contact_requests add primary key (request_id);
alter table dialer.contact_requests add constraint contact_requests_source_ref unique (source, source_ref);
alter table dialer.contact_requests add constraint contact_requests_lift check (lifted_on is null or lifted_on >= requested_on);
create index contact_requests_debtor on dialer.contact_requests (debtor_id);
create index contact_requests_phone on dialer.contact_requests (phone_e164) where phone_e164 is not null;
comment on table dialer.contact_requests is 'Do-not-call and cease-communication requests from every source (office export flag, dialer outcome, office, call log): a request keeps the debtor, and its phone_e164 when given, off every list from requested_on until lifted_on';
comment on column dialer.contact_requests.source is 'office_export (the export''s do-not-call flag), dialer (a call outcome), office (recorded by the office), or the name of another source';
comment on column dialer.contact_requests.source_ref is 'The source''s own id of the request (the call id for the dialer), unique per source: a source writes a request once';
comment on column dialer.contact_requests.phone_e164 is 'The number the request was made on: never dialled again for any debtor while the request stands (null: the debtor''s every number)';
comment on column dialer.contact_requests.lifted_on is 'The day the request was lifted (calls allowed again from that day); null while it stands';

alter table raw.calls add column if not exists promise_amount text, add column if not exists promise_due_on text;
alter table clean.calls
  add column promise_amount numeric(14,2),
  add column promise_due_on date,
  add column do_not_call boolean not null default false;
comment on column clean.calls.do_not_call is 'The debtor asked on this call not to be called again (office outcome OPP): recorded in dialer.contact_requests';
