-- Removes the dialer.call_list rows of one list date (inside the publication transaction).
-- Parameters: list_date (date)
delete from dialer.call_list where list_date = cast(:list_date as date)
