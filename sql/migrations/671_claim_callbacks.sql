-- Callbacks in the call room: a callback agreed on a call brings the debtor back to the same agent
-- once its time has come (src/api/call-room/claims.ts).
alter table dialer.claims add column callback_at timestamptz;
comment on column dialer.claims.callback_at is 'A callback logged for this time: the debtor comes back to the same agent then (null: none pending)';
