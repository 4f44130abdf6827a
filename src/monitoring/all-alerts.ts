/**
 * Every alert in one list — monitoring alerts (dataset drift, realised AUC, freshness) and the
 * orchestrator's missed deadlines — for `relance alerts`, `/api/alerts` and the dashboard; and
 * their acknowledgement, which closes them.
 */
import type { Knex } from 'knex';
import { runSql } from '../db';
import { NotFoundError, ValidationError } from '../core/errors';
import type { AlertSeverity } from './alerts';

/** Which table an alert lives in. */
export type AlertSource = 'monitoring' | 'orchestrator';

/** An alert of either source. */
export interface AnyAlert {
  source: AlertSource;
  id: number;
  /** `deadline_missed`, `dataset_drift`, `realised_auc`, `freshness`, … */
  kind: string;
  severity: AlertSeverity;
  /** What it concerns: a run id, a report id, a list date, a source. */
  subject: string | null;
  message: string;
  details: Record<string, unknown>;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

/** Filters of {@link listAllAlerts}. */
export interface AlertFilter {
  kind?: string;
  /** Only the alerts nobody acknowledged. @defaultValue false */
  openOnly?: boolean;
  /** @defaultValue 100 */
  limit?: number;
}

/** Alerts of both sources, newest first. */
export async function listAllAlerts(knex: Knex | Knex.Transaction, filter: AlertFilter = {}): Promise<AnyAlert[]> {
  const { rows } = await runSql<Record<string, unknown>>(knex, 'monitoring/alerts-all', { kind: filter.kind ?? null, open_only: filter.openOnly ?? false, limit: filter.limit ?? 100 });
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return rows.map((r) => ({
    source: r.source as AlertSource,
    id: Number(r.id),
    kind: r.kind as string,
    severity: r.severity as AlertSeverity,
    subject: (r.subject as string | null) ?? null,
    message: r.message as string,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : (r.details ?? {})) as Record<string, unknown>,
    raisedAt: new Date(r.raised_at as string),
    acknowledgedAt: date(r.acknowledged_at),
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
  }));
}

/** An alert's reference as people type it: `monitoring:12`, `orchestrator:3`. */
export function parseAlertRef(ref: string): { source: AlertSource; id: number } {
  const m = /^(monitoring|orchestrator):(\d+)$/.exec(ref.trim());
  if (!m) throw new ValidationError(`an alert is named source:id, e.g. monitoring:12 or orchestrator:3 (got ${JSON.stringify(ref)})`, { context: { field: 'alert' } });
  return { source: m[1] as AlertSource, id: Number(m[2]) };
}

/** Acknowledges (closes) an alert; false when it was already acknowledged. */
export async function acknowledgeAlert(knex: Knex, ref: { source: AlertSource; id: number }, by: string, at: Date): Promise<boolean> {
  const table = ref.source === 'monitoring' ? 'monitoring.alerts' : 'orchestrator.alerts';
  const n = await knex(table).where({ id: ref.id }).whereNull('acknowledged_at').update({ acknowledged_at: at, acknowledged_by: by });
  if (n > 0) return true;
  const exists = await knex(table).where({ id: ref.id }).first('id');
  if (!exists) throw new NotFoundError(`no alert ${ref.source}:${ref.id}`);
  return false;
}
