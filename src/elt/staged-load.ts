/**
 * One load, whatever its source: in a single transaction, fill a temporary staging table (COPY),
 * validate and move it into `raw.<table>` and `quarantine.rows` with one SQL statement, check the
 * row accounting and record it in `quarantine.loads`. A failure rolls everything back and records
 * the failed load, so nothing partial ever stays.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../db';
import { wrapDbError } from '../db';
import { RelanceError } from '../core/errors';
import { STAGE_TABLE, stageTableSql, validationSql, type ValidationPlan } from './validation-sql';
import type { LoadMode, LoadReport } from './types';
import type { Logger } from '../core/log';

let sequence = 0;

/** A new load id; ids sort in the order loads started, which cleaning relies on (latest wins). */
export function newLoadId(at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '').replace('T', 'T').slice(0, 18);
  sequence = (sequence + 1) % 10000;
  return `${stamp}-${String(sequence).padStart(4, '0')}-${randomBytes(3).toString('hex')}`;
}

/** What a staged load needs. */
export interface StagedLoad {
  db: Database;
  runId: string;
  source: string;
  table: string;
  file: string;
  checksum?: string;
  plan: ValidationPlan;
  /** Delimiter used to rebuild unquoted records for quarantine. */
  delimiter: string;
  today: string;
  /** Receives the timing of each phase (debug). */
  log?: Logger;
  /** Whether the load holds the whole table or only new and changed rows. @defaultValue 'full' */
  mode?: LoadMode;
  /**
   * Fills the staging table on `trx`; returns the number of records it staged and, for SQL
   * sources, the watermark reached and the rows on it (key → digest).
   */
  fill(trx: Knex.Transaction): Promise<{ read: number; watermark?: string; watermarkKeys?: Record<string, string> }>;
}

/** Creates `raw.<table>` if a source introduces it, and adds columns a source maps beyond it. */
async function ensureRawTable(trx: Knex.Transaction, table: string, columns: readonly string[]): Promise<void> {
  const existing = (await trx.raw(`select attname as column_name from pg_attribute where attrelid = to_regclass(?) and attnum > 0 and not attisdropped`, [`raw.${table}`])) as { rows: { column_name: string }[] };
  const have = new Set(existing.rows.map((r) => r.column_name));
  if (have.size === 0) {
    const cols = columns.map((c) => `${c} text`).join(', ');
    await trx.raw(`create table if not exists raw.${table} (${cols}, _load_id text not null, _source text not null, _file text, _row_number bigint)`);
    // Its writes count as changes of raw.* (sql/migrations/760_clean_builds.sql).
    await trx.raw(`select quarantine.track_changes(?::regclass)`, [`raw.${table}`]);
    return;
  }
  for (const c of columns) if (!have.has(c)) await trx.raw(`alter table raw.${table} add column if not exists ${c} text`);
}

/** Runs a load in one transaction; returns its report or throws (after recording the failure). */
export async function runStagedLoad(load: StagedLoad): Promise<LoadReport> {
  const loadId = newLoadId();
  const started = process.hrtime.bigint();
  const { db, plan } = load;
  try {
    return await db.knex.transaction(async (trx) => {
      // Sorting for duplicate keys stays in memory; the staging table's statistics make the
      // planner hash the quarantine join rather than loop over it.
      if (db.kind === 'postgres') await trx.raw(`set local work_mem = '256MB'`);
      await trx.raw(stageTableSql(plan.width));
      const filled = process.hrtime.bigint();
      const { read, watermark, watermarkKeys } = await load.fill(trx);
      const staged = process.hrtime.bigint();
      await trx.raw(`analyze ${STAGE_TABLE}`);
      await ensureRawTable(trx, plan.contract.table, plan.rawColumns);
      let counts: { quarantined: number; loaded: number; staged: number };
      try {
        const result = (await trx.raw(validationSql(plan), {
          load_id: loadId, source: load.source, table: load.table, file: load.file, today: load.today, delim: load.delimiter,
        })) as { rows: { quarantined: unknown; loaded: unknown; staged: unknown }[] };
        const row = result.rows[0];
        counts = { quarantined: Number(row?.quarantined ?? 0), loaded: Number(row?.loaded ?? 0), staged: Number(row?.staged ?? 0) };
      } catch (cause) {
        throw wrapDbError(cause, `validation of raw.${plan.contract.table}`);
      }
      load.log?.debug('load phases', { file: load.file, copySeconds: Number(staged - filled) / 1e9, validateSeconds: Number(process.hrtime.bigint() - staged) / 1e9 });
      if (counts.staged !== read || counts.loaded + counts.quarantined !== read) {
        throw new RelanceError(`${load.file}: row accounting does not add up: read ${read}, staged ${counts.staged}, loaded ${counts.loaded}, quarantined ${counts.quarantined}`, {
          context: { file: load.file },
        });
      }
      const reasons: Record<string, number> = {};
      if (counts.quarantined > 0) {
        const rows = (await trx('quarantine.rows').where({ load_id: loadId }).select('reason').count({ n: '*' }).groupBy('reason')) as { reason: string; n: unknown }[];
        for (const r of rows) reasons[r.reason] = Number(r.n);
      }
      await trx('quarantine.loads').insert({
        load_id: loadId, run_id: load.runId, source: load.source, table_name: load.table, file: load.file, checksum: load.checksum ?? null,
        rows_read: read, rows_loaded: counts.loaded, rows_quarantined: counts.quarantined, status: 'loaded', watermark: watermark ?? null,
        watermark_keys: watermarkKeys ? JSON.stringify(watermarkKeys) : null, mode: load.mode ?? 'full', finished_at: trx.fn.now(),
      });
      return {
        loadId, source: load.source, table: load.table, file: load.file, status: 'loaded' as const, mode: load.mode ?? 'full',
        ...(load.checksum ? { checksum: load.checksum } : {}),
        rowsRead: read, rowsLoaded: counts.loaded, rowsQuarantined: counts.quarantined, reasons,
        ...(watermark !== undefined ? { watermark } : {}),
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      };
    });
  } catch (error) {
    await recordFailedLoad(db, { ...load, loadId }, error);
    throw error;
  }
}

/** Records a load that failed (nothing of it was kept), for the audit; never throws. */
export async function recordFailedLoad(
  db: Database,
  load: { loadId?: string; runId: string; source: string; table: string; file: string; checksum?: string },
  error: unknown,
): Promise<void> {
  await db.knex('quarantine.loads')
    .insert({
      load_id: load.loadId ?? newLoadId(), run_id: load.runId, source: load.source, table_name: load.table, file: load.file, checksum: load.checksum ?? null,
      status: 'failed', error: (error as Error).message.slice(0, 2000), finished_at: db.knex.fn.now(),
    })
    .catch(() => undefined);
}
