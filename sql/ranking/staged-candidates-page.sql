-- One page of the candidates staged in publish_candidates (sql/ranking/candidates.sql, copied into
-- a temporary table by src/ranking/publish-in-batches.ts): the next `page_rows` debtors after
-- `after` (from the first when null), by debtor id.
-- Parameters: after (text or null), page_rows (integer)
select *
  from publish_candidates
 where cast(:after as text) is null or debtor_id > cast(:after as text)
 order by debtor_id
 limit cast(:page_rows as integer)
