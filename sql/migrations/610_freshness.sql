-- Freshness of the exports and stale lists (docs/call-list.md, "Fresh data or no new list").
-- Loads record whether they are a full export or an increment, so that row counts are compared
-- like with like, and which rows sat on the last watermark, so that the next pull (>= watermark)
-- skips them. A published list is marked stale when a night's run could not replace it.

alter table quarantine.loads add column mode text not null default 'full' check (mode in ('full', 'incremental'));
alter table quarantine.loads add column watermark_keys jsonb;   -- SQL sources: {key: row digest} of the rows on the watermark
comment on column quarantine.loads.mode is 'full: the whole table (a full export, a first pull); incremental: only new or changed rows (a daily file, a pull from the watermark)';
comment on column quarantine.loads.watermark_keys is 'SQL sources: key → digest of the rows whose watermark equals the load''s watermark; the next pull skips them unless they changed';

alter table dialer.publications add column stale boolean not null default false;
alter table dialer.publications add column stale_since timestamptz;
alter table dialer.publications add column stale_reason text;
alter table dialer.publications add column stale_run_id text;
comment on column dialer.publications.stale is 'true while this list is still the one published although a later night could not replace it (missing, empty or old export, failed check)';
comment on column dialer.publications.stale_reason is 'why the night''s run could not publish a new list (the failed freshness checks)';

alter table dialer.call_list add column stale boolean not null default false;
comment on column dialer.call_list.stale is 'the list of this row is stale: a later night could not replace it (dialer.publications.stale_reason says why)';
