-- analyst.quarantine_reasons: quarantined rows per load, reason and field (the rows themselves,
-- verbatim, stay in quarantine.rows for the IT team).
-- Parameters: none
create or replace view analyst.quarantine_reasons as
select l.load_id, l.source, l.table_name, l.file, q.reason, q.field, count(*) as n_rows, min(q.line) as first_line
from quarantine.rows q
join quarantine.loads l on l.load_id = q.load_id
group by l.load_id, l.source, l.table_name, l.file, q.reason, q.field
