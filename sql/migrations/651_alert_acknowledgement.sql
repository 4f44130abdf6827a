-- Alerts stay open until someone acknowledges them (`relance alerts ack`, POST /api/alerts/…/ack):
-- the dashboard shows the open ones. Both alert tables get the same two columns.
alter table monitoring.alerts add column acknowledged_at timestamptz, add column acknowledged_by text;
alter table orchestrator.alerts add column acknowledged_at timestamptz, add column acknowledged_by text;
create index alerts_open on monitoring.alerts (raised_at desc) where acknowledged_at is null;
create index orchestrator_alerts_open on orchestrator.alerts (raised_at desc) where acknowledged_at is null;
