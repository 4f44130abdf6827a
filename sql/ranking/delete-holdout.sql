-- Removes the dialer.holdout rows of one list date (inside the publication transaction).
-- Parameters: list_date (date)
delete from dialer.holdout where list_date = cast(:list_date as date)
