-- The newest snapshot a model version was judged on (its time holdout): a challenger is compared
-- with the champion on the challenger's holdout, and one whose data is older than the champion's
-- is never promoted.
alter table scoring.model_versions add column holdout_as_of date;

comment on column scoring.model_versions.holdout_as_of is 'As-of date of the time holdout (newest training snapshot) the version was evaluated on';
