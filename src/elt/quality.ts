/**
 * Data-quality checks declared in `quality:` of the configuration, run after cleaning. Any failure
 * throws a {@link QualityCheckError}: the run stops before scoring and publication, and the
 * previous call list stays published.
 */
import type { Knex } from 'knex';
import type { Database } from '../db';
import { QualityCheckError } from '../core/errors';
import type { Logger } from '../core/log';
import type { QualityConfig } from '../config/schema/sources';
import type { QualityCheckResult, QualityReport } from './types';

/** Foreign keys of clean.* that must hold: `child.column → parent.column`. */
const REFERENCES: readonly [string, string, string, string][] = [
  ['cases', 'debtor_id', 'debtors', 'debtor_id'],
  ['payments', 'case_id', 'cases', 'case_id'],
  ['payments', 'debtor_id', 'debtors', 'debtor_id'],
  ['calls', 'debtor_id', 'debtors', 'debtor_id'],
  ['promises', 'case_id', 'cases', 'case_id'],
  ['phones', 'debtor_id', 'debtors', 'debtor_id'],
  ['debtor_keys', 'debtor_id', 'debtors', 'debtor_id'],
];

const CLEAN_TABLES = new Set(['debtors', 'debtor_keys', 'cases', 'payments', 'calls', 'promises', 'phones']);

async function scalar(knex: Knex, sql: string, bindings: readonly Knex.Value[] = []): Promise<number> {
  const result = (await knex.raw(sql, bindings)) as { rows: { v: unknown }[] };
  return Number(result.rows[0]?.v ?? 0);
}

/**
 * Loaded rows of each (source, table) in its last two runs that loaded a full export. Incremental
 * loads (a daily file of a table declared `mode: incremental`, a SQL pull from its watermark) vary
 * by nature and are not compared; the freshness check compares them with each other when asked.
 */
async function rowCountChanges(knex: Knex, bound: number): Promise<QualityCheckResult[]> {
  const rows = (await knex.raw(`
    select source, table_name, run_id, sum(rows_loaded) as n, max(load_id) as last
    from quarantine.loads where status = 'loaded' and watermark is null and mode = 'full'
    group by source, table_name, run_id
    order by source, table_name, max(load_id) desc`)) as { rows: { source: string; table_name: string; n: unknown }[] };
  const byTable = new Map<string, number[]>();
  for (const r of rows.rows) {
    const key = `${r.source}.${r.table_name}`;
    const list = byTable.get(key) ?? [];
    if (list.length < 2) list.push(Number(r.n));
    byTable.set(key, list);
  }
  const results: QualityCheckResult[] = [];
  for (const [key, [latest, previous]] of byTable) {
    if (latest === undefined || previous === undefined) continue;
    const change = previous === 0 ? (latest === 0 ? 0 : Infinity) : Math.abs(latest - previous) / previous;
    results.push({
      name: `row_count_change:${key}`, ok: change <= bound, value: change, limit: bound,
      message: `${key}: ${latest} rows loaded against ${previous} in the previous load (${formatRate(change)} change, limit ${formatRate(bound)})`,
    });
  }
  return results;
}

function formatRate(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'unbounded';
}

/** Runs every configured check; throws {@link QualityCheckError} listing the failures. */
export async function runQualityChecks(db: Database, quality: QualityConfig, options: { log: Logger }): Promise<QualityReport> {
  const knex = db.knex;
  const checks: QualityCheckResult[] = [];
  checks.push(...(await rowCountChanges(knex, quality.maxRowCountChange)));

  const latestLoads = (await knex.raw(`
    select distinct on (source, table_name) source, table_name, file, rows_read, rows_quarantined
    from quarantine.loads where status = 'loaded'
    order by source, table_name, load_id desc`)) as { rows: { source: string; table_name: string; file: string; rows_read: unknown; rows_quarantined: unknown }[] };
  for (const l of latestLoads.rows) {
    const read = Number(l.rows_read);
    const rate = read === 0 ? 0 : Number(l.rows_quarantined) / read;
    checks.push({
      name: `quarantine_rate:${l.source}.${l.table_name}`, ok: rate <= quality.maxQuarantineRate, value: rate, limit: quality.maxQuarantineRate,
      message: `${l.file}: ${formatRate(rate)} of rows quarantined (limit ${formatRate(quality.maxQuarantineRate)})`,
    });
  }

  for (const [column, limit] of Object.entries(quality.maxNullRate)) {
    const [table, col] = column.split('.') as [string, string];
    const exists = await scalar(knex, `select count(*) as v from information_schema.columns where table_schema = 'clean' and table_name = ? and column_name = ?`, [table, col]);
    if (!CLEAN_TABLES.has(table) || exists === 0) {
      checks.push({ name: `null_rate:${column}`, ok: false, value: NaN, limit, message: `quality.maxNullRate.${column}: clean.${table} has no column ${col}` });
      continue;
    }
    const rate = await scalar(knex, `select coalesce(cast(count(*) filter (where ${col} is null) as float) / nullif(count(*), 0), 0) as v from clean.${table}`);
    checks.push({ name: `null_rate:${column}`, ok: rate <= limit, value: rate, limit, message: `clean.${column}: ${formatRate(rate)} null (limit ${formatRate(limit)})` });
  }

  for (const table of ['cases', 'payments', 'promises', 'calls', 'phones']) {
    const orphans = await scalar(knex, `select count(*) as v from quarantine.orphans where table_name = ?`, [table]);
    const kept = await scalar(knex, `select count(*) as v from clean.${table}`);
    const rate = orphans + kept === 0 ? 0 : orphans / (orphans + kept);
    checks.push({
      name: `orphan_rate:${table}`, ok: rate <= quality.maxOrphanRate, value: rate, limit: quality.maxOrphanRate,
      message: `clean.${table}: ${orphans} orphan rows, ${formatRate(rate)} (limit ${formatRate(quality.maxOrphanRate)})`,
    });
  }

  for (const [child, col, parent, pcol] of REFERENCES) {
    const broken = await scalar(knex, `select count(*) as v from clean.${child} c where c.${col} is not null and not exists (select 1 from clean.${parent} p where p.${pcol} = c.${col})`);
    checks.push({ name: `references:${child}.${col}`, ok: broken === 0, value: broken, limit: 0, message: `clean.${child}.${col}: ${broken} rows reference no clean.${parent}` });
  }

  const debtors = await scalar(knex, 'select count(*) as v from clean.debtors');
  checks.push({ name: 'min_debtors', ok: debtors >= quality.minDebtors, value: debtors, limit: quality.minDebtors, message: `clean.debtors holds ${debtors} debtors (at least ${quality.minDebtors} required)` });

  const failed = checks.filter((c) => !c.ok);
  const report: QualityReport = { ok: failed.length === 0, checks };
  if (failed.length > 0) {
    options.log.error('quality checks failed', { failed: failed.map((c) => c.message) });
    throw new QualityCheckError(`${failed.length} quality check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => c.message).join('; ')}`, {
      context: { field: failed[0]?.name },
    });
  }
  options.log.info('quality checks passed', { checks: checks.length });
  return report;
}
