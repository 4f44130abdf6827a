-- Removes the dialer.exclusions rows of one list date (inside the publication transaction).
-- Parameters: list_date (date)
delete from dialer.exclusions where list_date = cast(:list_date as date)
