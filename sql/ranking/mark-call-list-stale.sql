-- Flags every row of a stale list, so that a dialer reading dialer.call_list sees it on the rows.
-- Parameters: list_date (date).
update dialer.call_list set stale = true where list_date = :list_date and not stale
