-- One page of the staged contact slots (publish_slots, from sql/ranking/contact-slots.sql) by
-- debtor, weekday and hour, after the given one (from the first when after_debtor is null), with
-- what names the debtor's segment: the candidate's office and phone type, else its calls' office.
-- The candidates are read from the page's first debtor on (the join's bound): without it each page
-- would scan the candidates from the first one, and the pass would grow with the square of the office.
-- Parameters: after_debtor (text or null), after_weekday (integer), after_hour (integer), page_rows (integer)
select s.debtor_id, s.office_code, s.weekday, s.hour, s.attempts, s.contacts,
       c.debtor_id is not null as candidate, c.office_code as candidate_office_code, c.phone_type
  from publish_slots s
  left join publish_candidates c
    on c.debtor_id = s.debtor_id
   and (cast(:after_debtor as text) is null or c.debtor_id >= cast(:after_debtor as text))
 where cast(:after_debtor as text) is null
    or (s.debtor_id, s.weekday, s.hour) > (cast(:after_debtor as text), cast(:after_weekday as integer), cast(:after_hour as integer))
 order by s.debtor_id, s.weekday, s.hour
 limit cast(:page_rows as integer)
