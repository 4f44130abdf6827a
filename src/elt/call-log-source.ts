/**
 * relance's own call log as a source of the night: the calls agents logged in the call room
 * (`dialer.call_outcomes`) since the last extract are carried into `raw.calls` in the office's
 * vocabulary, promise amount and due date included, so that cleaning, features, promises,
 * do-not-call requests, frequency caps, the wrong-number rule and training see them like the
 * dialer's calls. Do-not-call requests and disputes were also recorded when the call was logged
 * (compliance fails closed); the cleaning finds the request under the same key and keeps one.
 */
import type { Database } from '../db';
import { runSql } from '../db';
import type { Logger } from '../core/log';
import { newLoadId } from './staged-load';

/** The source name written in `_source` and `quarantine.loads.source`. */
export const CALL_LOG_SOURCE = 'relance_call_log';

/** What one extract of the call log carried. */
export interface CallLogReport {
  loadId: string;
  source: typeof CALL_LOG_SOURCE;
  calls: number;
  promises: number;
}

/**
 * Extracts the call log's pending rows in one transaction: stamp them with a new load, copy them
 * into raw.*, record the load with its row accounting. A retry after a commit finds nothing
 * pending and records an empty load; a retry after a failure finds the same rows pending.
 */
export async function extractCallLog(db: Database, run: { runId: string; log: Logger }): Promise<CallLogReport> {
  const loadId = newLoadId();
  const report = await db.knex.transaction(async (trx) => {
    const stamped = await runSql(trx, 'call-log/10-stamp', { load_id: loadId });
    // Nothing pending: no statement on raw.calls, which would count as a change of raw.* and make
    // tonight's clean rebuild tables that are the same (sql/migrations/760_clean_builds.sql).
    const calls = stamped.rowCount > 0 ? await runSql(trx, 'call-log/20-raw-calls', { load_id: loadId }) : { rowCount: 0 };
    const promises = await trx('dialer.call_outcomes').where({ load_id: loadId, outcome: 'promise' }).count({ n: '*' }).first();
    // An incremental pull: the watermark (the latest call carried) keeps it out of the volume check.
    const latest = (await trx('dialer.call_outcomes').where({ load_id: loadId }).max('created_at as at').first()) as { at: unknown } | undefined;
    await trx('quarantine.loads').insert({
      load_id: loadId,
      run_id: run.runId,
      source: CALL_LOG_SOURCE,
      table_name: 'calls',
      file: 'dialer.call_outcomes',
      rows_read: stamped.rowCount,
      rows_loaded: calls.rowCount,
      rows_quarantined: 0,
      status: 'loaded',
      watermark: latest?.at ? new Date(latest.at as string).toISOString() : 'none',
      finished_at: trx.fn.now(),
    });
    return { loadId, source: CALL_LOG_SOURCE, calls: calls.rowCount, promises: Number(promises?.n ?? 0) } as const;
  });
  run.log.info('call log extracted', { loadId, calls: report.calls, promises: report.promises });
  return report;
}
