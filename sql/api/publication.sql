-- The publication record of one list date: when it was published, whether it is stale, and how
-- it was ordered (objective, and the note of a fallback).
-- Parameters: list_date (date).
select list_date, run_id, model_version_id, published_at, stale, stale_since, stale_reason,
       objective, objective_configured, uplift_model_version_id, note
  from dialer.publications
 where list_date = :list_date
