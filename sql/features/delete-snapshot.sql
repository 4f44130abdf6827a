-- Removes the feature snapshot of one as-of date, so that recomputing it never duplicates rows.
-- Parameters: :as_of (date)
delete from features.debtor_features where as_of = cast(:as_of as date)
