-- Removes the dialer.publications rows of one list date (inside the publication transaction).
-- Parameters: list_date (date)
delete from dialer.publications where list_date = cast(:list_date as date)
