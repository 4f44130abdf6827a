-- Scores are computed for every debtor by plain prediction; the explanation (top contributions in
-- log-odds) is computed only for the debtors that are shown: the listed, the head of the deferred
-- and of the control group, and on demand in the API. NULL means "not explained yet".
alter table scoring.scores alter column explanation drop not null;
comment on column scoring.scores.explanation is 'top contributions [{feature, value, contribution}] in log-odds, largest |contribution| first; NULL until the debtor is shown (listed, deferred or control-group head, or opened in the dashboard)';
