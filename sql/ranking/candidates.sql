-- Scored debtors of a list date with what compliance, expected value and reasons need: features,
-- time zone, requests, open cases (disputed in the export or on the phone), the phone to call, recent attempts, payment and promise facts.
-- Calls count by their date in the debtor's time zone. Only events before list_date are read,
-- except call attempts of the list date itself (they count towards the frequency caps).
-- A request of dialer.contact_requests stands from requested_on until lifted_on; one made on a
-- number keeps that number off every debtor. A disputed case counts unless settled or written off.
-- Parameters: list_date (date)
with params as (select cast(:list_date as date) as d)
select s.debtor_id, s.p_pay, s.model_version_id, s.explanation,
       s.uplift_model_version_id, s.p_pay_called, s.p_pay_not_called, s.uplift_p,
       coalesce(f.balance, 0) as balance, f.avg_payment_amount, f.last_payment_amount,
       coalesce(f.open_promise_amount, 0) as open_promise_amount,
       coalesce(d.office_code, f.office_code) as office_code, d.country, d.postal_code,
       d.title, d.first_name, d.last_name,
       coalesce(d.time_zone, 'Europe/Paris') as time_zone,
       coalesce(d.do_not_call, false) or rq.do_not_call_sources is not null as do_not_call,
       concat_ws(', ', case when d.do_not_call then 'export flag' end, rq.do_not_call_sources) as do_not_call_sources,
       coalesce(rq.cease_communication, false) as cease_communication,
       coalesce(cs.open_stages, '{}') as open_stages, coalesce(cs.creditors, '{}') as creditors,
       coalesce(cs.disputed_open, 0) + (
         -- disputes raised on the phone (call room), live on the list date
         select count(*)::int from dialer.disputes x
          where x.debtor_id = s.debtor_id and x.raised_on <= p.d and (x.lifted_on is null or x.lifted_on > p.d)) as disputed_open,
       ph.phone_e164, ph.phone_type,
       coalesce(cl.attempt_dates, '{}') as attempt_dates, cl.last_conversation_on,
       py.last_payment_on::text as last_payment_on, py.last_amount as last_payment_fact_amount,
       pk.kept_on::text as last_kept_promise_on, po.due_on::text as open_promise_due_on
  from scoring.scores s
  cross join params p
  left join features.debtor_features f on f.as_of = s.as_of and f.debtor_id = s.debtor_id
  left join clean.debtors d on d.debtor_id = s.debtor_id
  left join lateral (
    -- the standing requests: from requested_on until lifted_on
    select string_agg(distinct r.source || ' since ' || r.requested_on::text, ', ' order by r.source || ' since ' || r.requested_on::text)
             filter (where r.kind = 'do_not_call') as do_not_call_sources,
           bool_or(r.kind = 'cease_communication') as cease_communication
      from dialer.contact_requests r
     where r.debtor_id = s.debtor_id and r.requested_on <= p.d and (r.lifted_on is null or r.lifted_on > p.d)
  ) rq on true
  left join lateral (
    select array_agg(distinct c.legal_stage order by c.legal_stage) filter (where c.status = 'open' and c.legal_stage is not null) as open_stages,
           array_agg(distinct c.creditor order by c.creditor) filter (where c.status = 'open' and c.creditor is not null) as creditors,
           -- a dispute stands whatever the case's status (the office suspends a disputed case) until it is settled or written off
           count(*) filter (where c.disputed and coalesce(c.status, '') not in ('settled', 'written_off'))::int as disputed_open
      from clean.cases c
     where c.debtor_id = s.debtor_id
  ) cs on true
  left join lateral (
    select ph.phone_e164, ph.phone_type
      from clean.phones ph
     where ph.debtor_id = s.debtor_id and ph.valid and ph.phone_e164 is not null
       and (ph.added_on is null or ph.added_on < p.d)
       and not exists (select 1 from dialer.contact_requests r
                        where r.phone_e164 = ph.phone_e164 and r.requested_on <= p.d and (r.lifted_on is null or r.lifted_on > p.d))
       -- a number whose last call reached a wrong person is not used again
       and coalesce((select c.outcome from clean.calls c
                      where c.debtor_id = ph.debtor_id and c.phone_e164 = ph.phone_e164
                      order by c.called_at desc limit 1), '') <> 'wrong_number'
     order by case ph.phone_type when 'mobile' then 0 when 'landline' then 1 else 2 end,
              ph.added_on desc nulls last, ph.phone_e164
     limit 1
  ) ph on true
  left join lateral (
    select array_agg(x.day::text order by x.day) filter (where x.day >= p.d - 31) as attempt_dates,
           (max(x.day) filter (where x.outcome in ('right_party_contact', 'promise', 'refusal')))::text as last_conversation_on
      from (select (c.called_at at time zone coalesce(d.time_zone, 'Europe/Paris'))::date as day, c.outcome
              from clean.calls c where c.debtor_id = s.debtor_id) x
     where x.day <= p.d
  ) cl on true
  left join lateral (
    select y.paid_on as last_payment_on, y.amount as last_amount
      from clean.payments y
     where y.debtor_id = s.debtor_id and y.paid_on < p.d
     order by y.paid_on desc, y.amount desc limit 1
  ) py on true
  left join lateral (
    -- kept: paid on the case between the promise and its due date plus 7 days of grace
    select max(k.paid_on) as kept_on
      from clean.promises r
      join lateral (
        select min(y.paid_on) as paid_on from clean.payments y
         where y.case_id = r.case_id and y.paid_on >= r.promised_on and y.paid_on <= r.due_on + 7 and y.paid_on < p.d
      ) k on k.paid_on is not null
     where r.debtor_id = s.debtor_id and r.promised_on < p.d
  ) pk on true
  left join lateral (
    select min(r.due_on) as due_on from clean.promises r
     where r.debtor_id = s.debtor_id and r.promised_on < p.d and r.due_on >= p.d
  ) po on true
 where s.as_of = p.d
 order by s.debtor_id
