/**
 * Rebuilds `clean.*` from `raw.*` with the statements of `sql/clean/` (run in name order, in one
 * transaction: readers see the previous clean tables or the new ones, never half of them), and
 * (re)creates the analysts' views of `sql/views/`. A rebuild is skipped when nothing it is built
 * from changed since the last one (see {@link cleanAll}).
 */
import type { Knex } from 'knex';
import type { Database } from '../db';
import { listSql, loadSql, migrationsDigest, runSql } from '../db';
import { wrapDbError } from '../db';
import { digest } from '../core/ids';
import type { CleanOptions, CleanReport } from './types';

const CLEAN_TABLES = ['debtors', 'debtor_keys', 'cases', 'payments', 'calls', 'promises', 'phones'] as const;

/**
 * The statement that records the export's do-not-call requests in `dialer.contact_requests`. It
 * runs on every clean, rebuilt or not: what it records also depends on today's date and on the
 * requests lifted since the last rebuild.
 */
const CONTACT_REQUESTS_STEP = 'clean/85-contact-requests';

/** What a rebuild of the clean tables is built from: write counters of raw.* and clean.*, and the code. */
interface CleanInputs {
  rawChange: number;
  cleanChange: number;
  codeDigest: string;
}

/** The cleaning statements and the schema they run on: a change of either calls for a rebuild. */
function cleanCodeDigest(steps: readonly string[]): string {
  return digest([migrationsDigest(), ...steps.map((s) => `${s}:${digest(loadSql(s))}`)].join('\n'));
}

async function changeCounters(runner: Knex | Knex.Transaction): Promise<{ rawChange: number; cleanChange: number }> {
  const r = await runner.raw(`select (select last_value from quarantine.raw_changes) as raw_change, (select last_value from quarantine.clean_changes) as clean_change`);
  const row = (r.rows as { raw_change: unknown; clean_change: unknown }[])[0];
  return { rawChange: Number(row?.raw_change), cleanChange: Number(row?.clean_change) };
}

/** The report of the last rebuild, if it was built from exactly `inputs`. */
async function unchangedBuild(runner: Knex | Knex.Transaction, inputs: CleanInputs): Promise<{ runId: string; builtAt: string; report: CleanReport } | null> {
  const last = (await runner('quarantine.clean_builds').orderBy('built_at', 'desc').first('run_id', 'built_at', 'raw_change', 'clean_change', 'code_digest', 'report')) as
    | { run_id: string; built_at: Date | string; raw_change: unknown; clean_change: unknown; code_digest: string; report: unknown }
    | undefined;
  if (!last) return null;
  if (Number(last.raw_change) !== inputs.rawChange || Number(last.clean_change) !== inputs.cleanChange || last.code_digest !== inputs.codeDigest) return null;
  const report = (typeof last.report === 'string' ? JSON.parse(last.report) : last.report) as CleanReport;
  return { runId: last.run_id, builtAt: new Date(last.built_at).toISOString(), report };
}

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
 * same clean tables, so when nothing was written to `raw.*` or `clean.*` and the cleaning code is
 * the same since the last rebuild (a rerun, or the nightly after the retrain on the same export),
 * the rebuild is skipped and its report returned with `reusedFrom`; unless `options.rebuild`. The
 * do-not-call requests of the export are recorded in either case.
 */
export async function cleanAll(db: Database, options: CleanOptions): Promise<CleanReport> {
  const started = process.hrtime.bigint();
  const steps = listSql('clean');
  const codeDigest = cleanCodeDigest(steps);
  let reused: Awaited<ReturnType<typeof unchangedBuild>> = null;
  let built: CleanReport | null = null;
  await db.knex.transaction(async (trx) => {
    const { rawChange, cleanChange } = await changeCounters(trx);
    reused = options.rebuild ? null : await unchangedBuild(trx, { rawChange, cleanChange, codeDigest });
    if (reused) {
      await runSql(trx, CONTACT_REQUESTS_STEP);
      return;
    }
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
    built = await cleanReport(trx, options);
    await trx('quarantine.clean_builds').insert({ run_id: options.runId, raw_change: rawChange, clean_change: (await changeCounters(trx)).cleanChange, code_digest: codeDigest, report: JSON.stringify(built) });
  });
  await ensureAnalystViews(db);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (reused) {
    const { runId, builtAt, report } = reused as { runId: string; builtAt: string; report: CleanReport };
    options.log.info('clean tables unchanged since their last rebuild: rebuild skipped', { rebuiltBy: runId, builtAt, seconds });
    const { asOf: _builtFor, ...counts } = report;
    return { ...counts, runId: options.runId, ...(options.asOf ? { asOf: options.asOf } : {}), seconds, reusedFrom: { runId, builtAt } };
  }
  const report: CleanReport = { ...(built as unknown as CleanReport), seconds };
  options.log.info('clean tables rebuilt', { rows: report.rows, orphans: report.orphans, mergedDebtors: report.mergedDebtors, seconds: report.seconds });
  return report;
}

/** Row counts, orphans, merged debtors and invalid phones of the clean tables as `runner` sees them. */
async function cleanReport(runner: Knex | Knex.Transaction, options: CleanOptions): Promise<CleanReport> {
  const db = { knex: runner };
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
    seconds: 0,
  };
  return report;
}
