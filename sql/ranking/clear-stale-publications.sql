-- A new list is published: the earlier lists are no longer what the dialer works from, so none
-- of them is stale any more (the alerts in monitoring.alerts keep the history).
-- Parameters: list_date (date): the list being published.
update dialer.publications
   set stale = false, stale_since = null, stale_reason = null, stale_run_id = null
 where stale and list_date < cast(:list_date as date)
