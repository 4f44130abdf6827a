-- analyst.loads: every extraction (file or office table) with its row accounting and outcome.
-- rows_read = rows_loaded + rows_quarantined for every load that succeeded.
-- Parameters: none
create or replace view analyst.loads as
select load_id, run_id, source, table_name, file, status, rows_read, rows_loaded, rows_quarantined,
       case when rows_read > 0 then round(cast(rows_quarantined as numeric) / rows_read, 4) end as quarantine_rate,
       error, watermark, started_at, finished_at,
       mode                                    -- full or incremental (appended: views only grow at the end)
from quarantine.loads
