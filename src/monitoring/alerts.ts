/**
 * Monitoring alerts: stored in `monitoring.alerts`, written to the log, and POSTed as JSON to
 * `monitoring.alerts.webhookUrl` when one is configured. A failing webhook never loses the alert:
 * the row keeps the error.
 */
import type { Knex } from 'knex';
import type { RelanceConfig } from '../config';
import type { Database } from '../db';
import { redact, silentLogger, type Logger } from '../core/log';
import type { RealisedPerformance, StoredDriftReport } from './store';

/** How bad an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** An alert to raise. */
export interface Alert {
  /** Stable kind: `dataset_drift`, `realised_auc`, … */
  kind: string;
  severity: AlertSeverity;
  /** What it concerns (report id, list date). */
  subject?: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A stored alert. */
export interface StoredAlert extends Alert {
  id: number;
  raisedAt: Date;
  webhookStatus: string | null;
}

/** Side channels of {@link raiseAlert}. */
export interface RaiseAlertOptions {
  /** @defaultValue silentLogger */
  log?: Logger;
  /** HTTP client for the webhook. @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** Webhook timeout in ms. @defaultValue 5000 */
  timeoutMs?: number;
}

/** Stores an alert, logs it, and sends it to the configured webhook. Returns the stored alert. */
export async function raiseAlert(db: Database, alert: Alert, config: Pick<RelanceConfig, 'monitoring'>, options: RaiseAlertOptions = {}): Promise<StoredAlert> {
  const log = options.log ?? silentLogger;
  const [row] = await db
    .knex('monitoring.alerts')
    .insert({ kind: alert.kind, severity: alert.severity, subject: alert.subject ?? null, message: alert.message, details: JSON.stringify(alert.details ?? {}) })
    .returning(['id', 'raised_at']);
  const id = Number(row.id);
  const raisedAt = new Date(row.raised_at);
  const logFn = alert.severity === 'critical' ? log.error : alert.severity === 'warning' ? log.warn : log.info;
  logFn(`alert ${alert.kind}: ${alert.message}`, { alertId: id, subject: alert.subject });
  let webhookStatus: string | null = null;
  const url = config.monitoring.alerts.webhookUrl;
  if (url) {
    webhookStatus = await postWebhook(url, { id, raisedAt: raisedAt.toISOString(), ...alert }, options);
    if (webhookStatus !== 'sent') log.warn('alert webhook failed', { alertId: id, status: webhookStatus });
    await db.knex('monitoring.alerts').where({ id }).update({ webhook_status: webhookStatus });
  }
  return { ...alert, id, raisedAt, webhookStatus };
}

async function postWebhook(url: string, body: unknown, options: RaiseAlertOptions): Promise<string> {
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    return response.ok ? 'sent' : `http ${response.status}`;
  } catch (error) {
    // The URL may carry a secret (a token in its path or query): only the error's message is kept.
    return redact(`error: ${(error as Error).message}`).slice(0, 200);
  }
}

/** Alerts, newest first. */
export async function listAlerts(runner: Knex | Knex.Transaction, options: { limit?: number; kind?: string } = {}): Promise<StoredAlert[]> {
  const query = runner('monitoring.alerts').orderBy('id', 'desc').limit(options.limit ?? 100);
  if (options.kind) query.where({ kind: options.kind });
  const rows = await query;
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    kind: r.kind as string,
    severity: r.severity as AlertSeverity,
    subject: (r.subject as string | null) ?? undefined,
    message: r.message as string,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
    raisedAt: new Date(r.raised_at as string),
    webhookStatus: (r.webhook_status as string | null) ?? null,
  }));
}

/** Raises a `dataset_drift` alert when the stored report found dataset drift; returns it or null. */
export async function alertOnDatasetDrift(db: Database, report: StoredDriftReport, config: Pick<RelanceConfig, 'monitoring'>, options: RaiseAlertOptions = {}): Promise<StoredAlert | null> {
  if (!report.datasetDrift) return null;
  const drifted = report.columns.filter((c) => c.drifted).map((c) => c.feature);
  return raiseAlert(
    db,
    {
      kind: 'dataset_drift',
      severity: 'warning',
      subject: report.reportId,
      message: `dataset drift on ${report.asOf}: ${report.nDrifted} of ${report.nFeatures} features drifted (share ${report.driftShare.toFixed(2)} ≥ ${report.shareThreshold})`,
      details: { asOf: report.asOf, reportId: report.reportId, drifted },
    },
    config,
    options,
  );
}

/** Raises a `realised_auc` alert when the realised AUC is under `monitoring.realisedAucFloor`. */
export async function alertOnRealisedAuc(db: Database, perf: RealisedPerformance, config: Pick<RelanceConfig, 'monitoring'>, options: RaiseAlertOptions = {}): Promise<StoredAlert | null> {
  const floor = config.monitoring.realisedAucFloor;
  if (perf.auc === null || perf.auc >= floor) return null;
  return raiseAlert(
    db,
    {
      kind: 'realised_auc',
      severity: 'critical',
      subject: perf.listDate,
      message: `realised AUC ${perf.auc.toFixed(3)} of the ${perf.listDate} list (model ${perf.modelVersionId}) is under the floor ${floor}`,
      details: { listDate: perf.listDate, modelVersionId: perf.modelVersionId, auc: perf.auc, floor, n: perf.n },
    },
    config,
    options,
  );
}
