-- The call room (docs/agent-guide.md): relance's own call log, the agents' claims on the day's
-- list, and disputes raised on the phone. The call log is a source of the next night: its calls
-- and promises are extracted into raw.* (sql/call-log/), like the dialer's.

-- One row per call an agent logged; never updated but for the extract stamp (load_id).
create table dialer.call_outcomes (
  outcome_id text primary key,
  idempotency_key text not null unique,  -- chosen by the page per attempt: a double submit stores one row
  list_date date not null,               -- the list the call was made from
  debtor_id text not null,
  case_id text,                          -- the case a promise or dispute concerns
  phone_e164 text,                       -- the number dialled
  agent_id text not null,                -- access.api_tokens.token_id of the agent
  agent_name text not null,
  outcome text not null check (outcome in ('no_answer', 'busy', 'wrong_number', 'third_party', 'promise', 'refusal',
                                           'dispute', 'do_not_call', 'callback')),
  promise_amount numeric(14,2),
  promise_due_on date,
  callback_at timestamptz,
  note text,
  called_at timestamptz not null,
  created_at timestamptz not null default now(),
  created_by text not null,              -- name of the token that recorded it (audit)
  load_id text,                          -- the extract load that carried it into raw.* (null: not yet)
  constraint call_outcomes_promise check (outcome <> 'promise' or (promise_amount > 0 and promise_due_on is not null)),
  constraint call_outcomes_callback check (outcome <> 'callback' or callback_at is not null)
);
create index call_outcomes_debtor on dialer.call_outcomes (debtor_id, called_at);
create index call_outcomes_pending on dialer.call_outcomes (created_at) where load_id is null;
create index call_outcomes_day on dialer.call_outcomes (list_date, agent_id);
comment on table dialer.call_outcomes is 'relance''s own call log: one row per call logged by an agent (who, when, what it gave), extracted into raw.calls and raw.promises the next night';

-- Who works which debtor of the day's list: one claim per (list date, debtor), so two agents never
-- call the same debtor; an unworked claim expires and the debtor goes back to the pool.
create table dialer.claims (
  list_date date not null,
  debtor_id text not null,
  agent_id text not null,
  agent_name text not null,
  claimed_at timestamptz not null,
  expires_at timestamptz not null,
  worked_at timestamptz,                 -- set when an outcome is logged: the debtor is done for the day
  primary key (list_date, debtor_id)
);
create index claims_agent on dialer.claims (list_date, agent_id);
comment on table dialer.claims is 'Claims of the call room on the day''s list: one agent per debtor and day; a claim not worked before expires_at returns to the pool';

-- Disputes raised on the phone (beyond the export's disputed flag): the debtor is kept off every
-- list from raised_on until the dispute is lifted.
create table dialer.disputes (
  debtor_id text not null,
  case_id text,
  raised_on date not null,
  source text not null,                  -- relance_call_log, or the source that reported it
  outcome_id text,                       -- the call that raised it
  lifted_on date,
  note text,
  primary key (debtor_id, raised_on, source)
);
comment on table dialer.disputes is 'Disputes raised outside the office export (on the phone): the debtor is excluded (rule disputed) from raised_on until lifted_on';
