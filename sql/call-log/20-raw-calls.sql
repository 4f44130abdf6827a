-- The stamped calls as raw.calls rows, in the office's vocabulary (the codes of sql/clean/50-calls.sql):
-- the call time as the debtor's local wall time, as office exports write it. A promise carries its
-- amount and due date (sql/clean/65-call-promises.sql makes it a promise, id call:RL-<outcome_id>);
-- a do-not-call request is OPP (sql/clean/85-contact-requests.sql keeps the request, which the call
-- room recorded already under the same source and reference); a dispute or a callback was a
-- conversation with the debtor (CTC); a third party who answered is TIERS.
-- Parameters: load_id (text)
insert into raw.calls (call_id, debtor_id, case_id, phone, called_at, duration_s, outcome, agent, promise_amount, promise_due_on,
                       _load_id, _source, _file, _row_number)
select 'RL-' || o.outcome_id, o.debtor_id, o.case_id, o.phone_e164,
       to_char(o.called_at at time zone coalesce(d.time_zone, 'Europe/Paris'), 'YYYY-MM-DD HH24:MI:SS'),
       null,
       case o.outcome when 'no_answer' then 'NRP' when 'busy' then 'OCC' when 'wrong_number' then 'FNUM'
                      when 'third_party' then 'TIERS' when 'promise' then 'PROM' when 'refusal' then 'REF'
                      when 'do_not_call' then 'OPP' when 'dispute' then 'CTC' when 'callback' then 'CTC' end,
       o.agent_name, o.promise_amount::text, to_char(o.promise_due_on, 'YYYY-MM-DD'),
       :load_id, 'relance_call_log', 'dialer.call_outcomes',
       row_number() over (order by o.called_at, o.outcome_id)
  from dialer.call_outcomes o
  left join clean.debtors d on d.debtor_id = o.debtor_id
 where o.load_id = :load_id
