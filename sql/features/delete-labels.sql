-- Removes the labels of one as-of date and horizon before they are recomputed.
-- Parameters: :as_of (date), :horizon_days (integer)
delete from features.labels where as_of = cast(:as_of as date) and horizon_days = cast(:horizon_days as integer)
