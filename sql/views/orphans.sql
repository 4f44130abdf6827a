-- analyst.orphans: extracted rows left out of clean.* because their parent is unknown.
-- Parameters: none
create or replace view analyst.orphans as
select table_name, row_id, missing, missing_id, _load_id as load_id
from quarantine.orphans
