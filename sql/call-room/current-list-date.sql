-- The list the call room works: the latest list date published (a day with an empty list counts)
-- or, without a publication record, the latest date of the list itself.
-- Parameters: none
select greatest((select max(list_date) from dialer.publications), (select max(list_date) from dialer.call_list)) as d
