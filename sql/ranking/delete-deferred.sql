-- Removes the dialer.deferred rows of one list date (inside the publication transaction).
-- Parameters: list_date (date)
delete from dialer.deferred where list_date = cast(:list_date as date)
