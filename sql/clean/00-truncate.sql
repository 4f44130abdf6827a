-- Empties clean.* and the orphan report before they are rebuilt from raw.* (one transaction).
-- Parameters: none
truncate clean.debtors, clean.debtor_keys, clean.cases, clean.payments, clean.calls, clean.promises, clean.phones, quarantine.orphans
