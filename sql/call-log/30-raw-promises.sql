-- The stamped promises as raw.promises rows: promised on the local day of the call, for the case
-- the agent recorded it on.
-- Parameters: load_id (text)
insert into raw.promises (promise_id, case_id, promised_on, amount, due_on, promise_status, _load_id, _source, _file, _row_number)
select 'RL-' || o.outcome_id, o.case_id,
       to_char(o.called_at at time zone coalesce(d.time_zone, 'Europe/Paris'), 'YYYY-MM-DD'),
       o.promise_amount::text, to_char(o.promise_due_on, 'YYYY-MM-DD'), 'EN_COURS',
       :load_id, 'relance_call_log', 'dialer.call_outcomes',
       row_number() over (order by o.called_at, o.outcome_id)
  from dialer.call_outcomes o
  left join clean.debtors d on d.debtor_id = o.debtor_id
 where o.load_id = :load_id and o.outcome = 'promise' and o.case_id is not null
