-- Takes every call logged in the call room and not yet extracted into the load :load_id (the
-- next statements read them by that stamp, in the same transaction).
-- Parameters: load_id (text)
update dialer.call_outcomes set load_id = :load_id where load_id is null
