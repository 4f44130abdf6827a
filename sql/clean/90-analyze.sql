-- Refreshes the planner's statistics of the rebuilt tables, so that features read them well.
-- Parameters: none
analyze clean.debtors, clean.debtor_keys, clean.cases, clean.payments, clean.calls, clean.promises, clean.phones
