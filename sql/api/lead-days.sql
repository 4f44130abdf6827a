-- The lead's calendar: every date from :from to :to, even those without a list, with what was
-- published that day and the latest nightly run that produces that date's list (its list date is
-- conf.list_date, else the office-local date on which its data interval ends; see
-- src/pipeline/list-date.ts). marked_stale reads a publication's `stale` flag where the table has one.
-- Parameters: from (date), to (date), time_zone (text: the office's IANA zone), dag_id (text).
with days as (
  select d::date as list_date from generate_series(cast(:from as date), cast(:to as date), interval '1 day') d
), runs as (
  select distinct on (list_date) list_date, run_id, state, started_at, ended_at
    from (select coalesce(r.conf ->> 'list_date', ((r.data_interval_end at time zone cast(:time_zone as text))::date)::text)::date as list_date,
                 r.run_id, r.state, r.started_at, r.ended_at, r.logical_date
            from orchestrator.dag_runs r
           where r.dag_id = :dag_id) x
   where list_date between cast(:from as date) and cast(:to as date)
   order by list_date, logical_date desc, started_at desc nulls last
), listed as (
  select list_date, count(*)::int as n from dialer.call_list
   where list_date between cast(:from as date) and cast(:to as date)
   group by list_date
)
select d.list_date, coalesce(l.n, 0) as listed, p.list_date is not null as published,
       p.candidates, p.excluded, p.deferred, p.holdout, p.published_at,
       coalesce((to_jsonb(p) ->> 'stale')::boolean, false) as marked_stale,
       r.run_id, r.state as run_state, r.started_at as run_started_at, r.ended_at as run_ended_at
  from days d
  left join listed l on l.list_date = d.list_date
  left join dialer.publications p on p.list_date = d.list_date
  left join runs r on r.list_date = d.list_date
 order by d.list_date desc
