/**
 * The freshness gate of the nightly DAG, between extraction and cleaning: every configured source
 * is checked (src/elt/freshness.ts), including the ones whose extract failed. Any failure holds
 * the list back (stale marking, `freshness` alert) and fails the task with a
 * {@link FreshnessCheckError}, so nothing is cleaned, scored or published from stale data.
 */
import type { IsoDate } from '../core/ids';
import type { Logger } from '../core/log';
import { FreshnessCheckError } from '../core/errors';
import { checkSourceFreshness, type FreshnessFinding, type LoadReport } from '../elt';
import { fromLocal } from '../dag';
import { holdBackList } from './hold-back-list';
import type { PipelineResources } from './resources';

/** What one extract task returns: the source and its load reports. */
export interface ExtractResult {
  source: string;
  reports: LoadReport[];
}

function isExtractResult(value: unknown): value is ExtractResult {
  return typeof value === 'object' && value !== null && typeof (value as { source?: unknown }).source === 'string' && Array.isArray((value as { reports?: unknown }).reports);
}

/** The instant of an office wall time `YYYY-MM-DDTHH:MM[:SS[.fff]]` in `timeZone`. */
export function officeInstant(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(local);
  if (!m) return new Date(NaN);
  const minute = fromLocal({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]) }, timeZone);
  return new Date(minute.getTime() + Math.round(Number(m[6] ?? 0) * 1000));
}

/**
 * Checks every source against tonight's extract results (`extracts`: the extract task's results,
 * failed items missing). Returns the findings, or throws after holding the list back.
 */
export async function freshnessStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate; log: Logger; extracts: unknown }): Promise<{ checked: number; findings: string[] }> {
  const results = (Array.isArray(run.extracts) ? run.extracts : []).filter(isExtractResult);
  const findings: FreshnessFinding[] = [];
  for (const source of resources.config.sources) {
    const reports = results.find((r) => r.source === source.name)?.reports;
    findings.push(...(await checkSourceFreshness(resources.db, source, { reports, now: resources.clock.now(), fromLocal: (local) => officeInstant(local, resources.config.timezone) })));
  }
  const failed = findings.filter((f) => !f.ok);
  if (failed.length === 0) {
    run.log.info('exports are fresh', { checks: findings.length });
    return { checked: findings.length, findings: findings.map((f) => f.message) };
  }
  const reason = failed.map((f) => f.message).join('; ');
  run.log.error('exports are not fresh: the list is held back', { failed: failed.map((f) => f.message) });
  await holdBackList(resources, {
    runId: run.runId, listDate: run.listDate, kind: 'freshness', reason, log: run.log,
    subject: [...new Set(failed.map((f) => f.source))].join(', '),
    details: { findings: failed.map((f) => ({ source: f.source, table: f.table, check: f.check, value: f.value ?? null, limit: f.limit ?? null, message: f.message })) },
  });
  throw new FreshnessCheckError(`${failed.length} freshness check${failed.length > 1 ? 's' : ''} failed: ${reason}`, { context: { field: failed[0]?.check } });
}
