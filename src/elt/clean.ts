/**
 * Rebuilds `clean.*` from `raw.*` with the statements of `sql/clean/` (run in name order, in one
 * transaction: readers see the previous clean tables or the new ones, never half of them), and
 * (re)creates the analysts' views of `sql/views/`.
 */
import type { Database } from '../db';
import { listSql, loadSql, runSql } from '../db';
import { wrapDbError } from '../db';
import type { CleanOptions, CleanReport } from './types';

const CLEAN_TABLES = ['debtors', 'debtor_keys', 'cases', 'payments', 'calls', 'promises', 'phones'] as const;

/**
 * Creates or replaces the analysts' views (`sql/views/*.sql`, one `create or replace view` each,
 * in name order). A view whose columns changed is dropped and created again, in one transaction.
 */
export async function ensureAnalystViews(db: Database): Promise<string[]> {
  const names = listSql('views');
  await db.knex.transaction(async (trx) => {
    for (const name of names) {
      const sql = loadSql(name);
      try {
        await trx.raw('savepoint view_change');
        await trx.raw(sql);
        await trx.raw('release savepoint view_change');
      } catch (cause) {
        const view = /create\s+or\s+replace\s+view\s+([a-z_.]+)/i.exec(sql)?.[1];
        if ((cause as { code?: string }).code !== '42P16' || !view) throw wrapDbError(cause, `sql/${name}.sql`);
        await trx.raw('rollback to savepoint view_change');
        await trx.raw(`drop view ${view} cascade`);
        await trx.raw(sql).catch((again: unknown) => {
          throw wrapDbError(again, `sql/${name}.sql`);
        });
      }
    }
  });
  return names;
}

/**
 * Rebuilds every clean table from the latest extracted version of each row, then reports row
 * counts, orphans, merged debtors and invalid phones. Idempotent: the same raw tables give the
 * same clean tables.
 */
export async function cleanAll(db: Database, options: CleanOptions): Promise<CleanReport> {
  const started = process.hrtime.bigint();
  const steps = listSql('clean');
  await db.knex.transaction(async (trx) => {
    // The rebuild sorts whole tables (latest version of each row): keep the sorts in memory.
    if (db.kind === 'postgres') {
      await trx.raw(`set local work_mem = '128MB'`);
      // Compiling the statements (JIT, in each parallel worker) costs seconds and saves less.
      await trx.raw('set local jit = off');
    }
    for (const step of steps) {
      const t0 = process.hrtime.bigint();
      const { rowCount } = await runSql(trx, step);
      options.log.debug('clean step', { step, rows: rowCount, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    }
  });
  await ensureAnalystViews(db);
  const rows: Record<string, number> = {};
  for (const table of CLEAN_TABLES) {
    const [r] = (await db.knex(`clean.${table}`).count({ n: '*' })) as { n: unknown }[];
    rows[table] = Number(r?.n ?? 0);
  }
  const orphanRows = (await db.knex('quarantine.orphans').select('table_name').count({ n: '*' }).groupBy('table_name')) as { table_name: string; n: unknown }[];
  const orphans: Record<string, number> = {};
  for (const r of orphanRows) orphans[r.table_name] = Number(r.n);
  const [merged] = (await db.knex('clean.debtor_keys').whereRaw('debtor_id <> source_debtor_id').count({ n: '*' })) as { n: unknown }[];
  const [invalid] = (await db.knex('clean.phones').where({ valid: false }).count({ n: '*' })) as { n: unknown }[];
  const report: CleanReport = {
    runId: options.runId,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    rows,
    orphans,
    mergedDebtors: Number(merged?.n ?? 0),
    invalidPhones: Number(invalid?.n ?? 0),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  options.log.info('clean tables rebuilt', { rows, orphans, mergedDebtors: report.mergedDebtors, seconds: report.seconds });
  return report;
}
