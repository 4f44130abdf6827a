-- One page of a published call list, in rank order, with the debtor's name and office
-- (call-list-count.sql counts the same filter).
-- Parameters: list_date (date), team (text or null), office (text or null),
--   search (LIKE pattern or null, escaped by containsPattern: matches debtor id, last or first
--   name, ignoring case and accents), limit, offset.
select cl.list_date, cl.team_id, cl.rank, cl.debtor_id, d.last_name, d.first_name, cl.office_code,
       cl.p_pay, cl.expected_recovery, cl.expected_amount, cl.p_contact, cl.priority, cl.balance,
       cl.window_start, cl.window_end, cl.time_zone, cl.reasons, cl.phone_e164,
       cl.incremental_recovery, cl.p_pay_called, cl.p_pay_not_called, cl.call_reasons,
       cl.model_version_id, v.threshold
  from dialer.call_list cl
  left join clean.debtors d on d.debtor_id = cl.debtor_id
  left join scoring.model_versions v on v.version_id = cl.model_version_id
 where cl.list_date = :list_date
   and (cast(:team as text) is null or cl.team_id = :team)
   and (cast(:office as text) is null or cl.office_code = :office)
   and (cast(:search as text) is null
        or clean.search_key(cl.debtor_id) like clean.search_key(:search) escape '\'
        or clean.search_key(d.last_name) like clean.search_key(:search) escape '\'
        or clean.search_key(d.first_name) like clean.search_key(:search) escape '\')
 order by cl.team_id, cl.rank
 limit :limit offset :offset
