-- The publication record of one list date: when it was published and whether it is stale.
-- Parameters: list_date (date).
select list_date, run_id, model_version_id, published_at, stale, stale_since, stale_reason
  from dialer.publications
 where list_date = :list_date
