-- Every alert, newest first: monitoring alerts (dataset drift, realised AUC, freshness, …) and
-- orchestrator alerts (missed deadlines), in one shape.
-- Parameters: kind (text or null), open_only (boolean: only the unacknowledged), limit.
select x.source, x.id, x.kind, x.severity, x.subject, x.message, x.details, x.raised_at, x.acknowledged_at, x.acknowledged_by
  from (
    select 'monitoring' as source, a.id, a.kind, a.severity, a.subject, a.message, a.details, a.raised_at, a.acknowledged_at, a.acknowledged_by
      from monitoring.alerts a
    union all
    select 'orchestrator', o.id, o.kind, 'warning', coalesce(o.run_id, o.dag_id), o.message,
           jsonb_build_object('dagId', o.dag_id, 'runId', o.run_id), o.raised_at, o.acknowledged_at, o.acknowledged_by
      from orchestrator.alerts o
  ) x
 where (cast(:kind as text) is null or x.kind = :kind)
   and (not cast(:open_only as boolean) or x.acknowledged_at is null)
 order by x.raised_at desc, x.source, x.id desc
 limit :limit
