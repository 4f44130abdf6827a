-- Removes the scores of one as-of date before the snapshot is scored again.
-- Parameters: :as_of (date)
delete from scoring.scores where as_of = cast(:as_of as date)
