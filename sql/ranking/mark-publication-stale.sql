-- Marks the published list the dialer still works from (the newest list date up to :up_to) stale:
-- a later night could not replace it. stale_since keeps the first night; the reason is the latest.
-- Parameters: up_to (date), at (timestamptz), reason (text), run_id (text).
update dialer.publications
   set stale = true,
       stale_since = coalesce(stale_since, cast(:at as timestamptz)),
       stale_reason = :reason,
       stale_run_id = :run_id
 where list_date = (select max(list_date) from dialer.publications where list_date <= cast(:up_to as date))
returning list_date, stale_since
