-- Clears the stale flag of the rows of the lists published before the one being published.
-- Parameters: list_date (date): the list being published.
update dialer.call_list set stale = false where stale and list_date < cast(:list_date as date)
