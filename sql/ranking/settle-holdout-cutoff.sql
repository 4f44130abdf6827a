-- Whether each control-group debtor of a team would have been listed: its priority beats the
-- highest priority the team had to defer (written once the whole list is fitted).
-- Parameters: list_date (date), team_id (text), cutoff (double precision)
update dialer.holdout
   set would_be_listed = priority > cast(:cutoff as double precision)
 where list_date = cast(:list_date as date) and team_id = cast(:team_id as text)
