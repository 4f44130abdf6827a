-- The clean tables are rebuilt only when what they are built from changed. Every statement that
-- writes raw.* (a load, the call log, a correction by hand) draws a number from
-- quarantine.raw_changes, every one that writes clean.* from quarantine.clean_changes (sequences:
-- no lock between concurrent loads; a rolled-back write still draws, which only costs a rebuild).
-- Each rebuild records the numbers it saw in quarantine.clean_builds; the next clean skips the
-- rebuild when both numbers and the cleaning code are the same.
create sequence quarantine.raw_changes;
create sequence quarantine.clean_changes;
select nextval('quarantine.raw_changes'), nextval('quarantine.clean_changes');

-- Whether the statement's transaction has written rows of the table so far (a statement that
-- wrote none, such as tonight's empty call log, changes nothing); a truncate always counts.
create function quarantine.wrote_rows(tbl oid, op text) returns boolean language sql stable as $$
  select op = 'TRUNCATE'
      or pg_stat_get_xact_tuples_inserted(tbl) + pg_stat_get_xact_tuples_updated(tbl) + pg_stat_get_xact_tuples_deleted(tbl) > 0
$$;

-- Draws from the sequence named by the trigger's argument when the statement wrote rows.
create function quarantine.count_change() returns trigger language plpgsql as $$
begin
  if quarantine.wrote_rows(TG_RELID, TG_OP) then
    perform nextval(TG_ARGV[0]::regclass);
  end if;
  return null;
end $$;

-- Counts the writes of one table (schema raw or clean): one trigger per statement, truncates included.
create function quarantine.track_changes(tbl regclass) returns void language plpgsql as $$
declare
  schema_name text := (select n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = tbl);
begin
  if schema_name not in ('raw', 'clean') then
    raise exception 'track_changes: % is not a raw or clean table', tbl;
  end if;
  execute format('drop trigger if exists track_changes on %s', tbl);
  execute format('create trigger track_changes after insert or update or delete on %s for each statement execute function quarantine.count_change(%L)', tbl, 'quarantine.' || schema_name || '_changes');
  execute format('drop trigger if exists track_truncate on %s', tbl);
  execute format('create trigger track_truncate after truncate on %s for each statement execute function quarantine.count_change(%L)', tbl, 'quarantine.' || schema_name || '_changes');
end $$;

select quarantine.track_changes(c.oid::regclass)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname in ('raw', 'clean') and c.relkind in ('r', 'p');

create table quarantine.clean_builds (
  run_id text not null,
  built_at timestamptz not null default now(),
  raw_change bigint not null,          -- quarantine.raw_changes when the rebuild read raw.*
  clean_change bigint not null,        -- quarantine.clean_changes once the rebuild had written clean.*
  code_digest text not null,           -- the cleaning statements and migrations it ran with
  report jsonb not null                -- rows, orphans, merged debtors, invalid phones
);
create index clean_builds_latest on quarantine.clean_builds (built_at desc);
comment on table quarantine.clean_builds is 'One row per rebuild of clean.*: what it was built from (raw.* and clean.* write counters, code) and its report; a clean with the same inputs skips the rebuild';
