-- The schemas of relance: the analysts' contract (see docs and DESIGN.md).
create schema if not exists orchestrator;
create schema if not exists raw;
create schema if not exists quarantine;
create schema if not exists clean;
create schema if not exists features;
create schema if not exists scoring;
create schema if not exists dialer;
create schema if not exists monitoring;
comment on schema orchestrator is 'DAG runs, task instances, task logs and small task results';
comment on schema raw is 'Tables as extracted, all text, with _load_id, _source, _row_number lineage columns';
comment on schema quarantine is 'Rejected rows kept verbatim with the reason, and the per-load row accounting';
comment on schema clean is 'Typed, deduplicated, normalised tables (phones in E.164, amounts numeric, dates typed)';
comment on schema features is 'Point-in-time feature snapshots: features as of day D use only events before D';
comment on schema scoring is 'Training runs, metrics, model versions and aliases, scores with explanations';
comment on schema dialer is 'Published call lists and exclusions with their reasons';
comment on schema monitoring is 'Drift reports, realised performance and alerts';
