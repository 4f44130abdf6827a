-- Labelled rows of one training snapshot for the uplift model: the debtor's features as of :as_of,
-- whether it paid within :horizon_days (features.labels) and whether it was called (any attempt,
-- by its local day in :tz) in the :treatment_days from :as_of — the treatment. Debtors with an
-- outstanding balance only.
-- Parameters: :as_of (date), :horizon_days (integer), :treatment_days (integer), :tz (IANA time zone)
select f.*, to_char(f.as_of, 'YYYY-MM-DD') as as_of, l.label,
       exists (select 1 from clean.calls c
                where c.debtor_id = f.debtor_id
                  and c.called_at >= (cast(:as_of as date)::timestamp at time zone cast(:tz as text))
                  and c.called_at < ((cast(:as_of as date) + cast(:treatment_days as integer))::timestamp at time zone cast(:tz as text))) as treated
  from features.debtor_features f
  join features.labels l on l.as_of = f.as_of and l.debtor_id = f.debtor_id and l.horizon_days = cast(:horizon_days as integer)
 where f.as_of = cast(:as_of as date) and f.balance > 0
 order by f.debtor_id
