-- A debtor's payments, calls and promises as one timeline, oldest first.
-- Parameters: debtor_id (text).
select 'payment' as kind, p.paid_on::timestamptz as at, p.case_id, p.amount, p.method as detail, null::text as phone_e164
  from clean.payments p where p.debtor_id = :debtor_id
union all
select 'call', c.called_at, c.case_id, null, c.outcome, c.phone_e164
  from clean.calls c where c.debtor_id = :debtor_id
union all
select 'promise', pr.promised_on::timestamptz, pr.case_id, pr.amount, 'due ' || coalesce(pr.due_on::text, 'unknown'), null
  from clean.promises pr where pr.debtor_id = :debtor_id
order by at
