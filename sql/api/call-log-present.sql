-- Whether relance's own call log (dialer.call_outcomes) exists: the progress reads it when it does.
-- Parameters: none.
select to_regclass('dialer.call_outcomes') is not null as present
