/**
 * Realism check of the call list on a synthetic office: the true expected recovery (the synth's
 * ground truth `expected_amount_30d`) captured by the top N of relance's ranking, against the best
 * possible list (ranked on the truth) and the naive list (largest balance first), all drawn from
 * the same pool of debtors eligible on the list date (compliance passed: listed, deferred or
 * held out).
 *
 *   measure a database where the nightly DAG has run on the export:
 *     npx tsx bench/ranking/captured-recovery.ts --export DIR --database URL --list-date YYYY-MM-DD
 *   (add --republish to rebuild the list from the scores already there first)
 *   or do it all (synthesise, extract, clean, train, features, score, publish on a fresh database):
 *     npx tsx bench/ranking/captured-recovery.ts --synth 20000 --seed 7 --list-date 2026-11-24 --database URL
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase, migrate, type Database } from '../../src/db';
import { createLogger } from '../../src/core/log';

/** Ground truth of one relance debtor (office records of the same person merged). */
interface Truth {
  pPay: number;
  expected: number;
}

/** Reads `ground_truth.csv` and maps office ids to relance debtors through clean.debtor_keys. */
async function readTruth(db: Database, file: string): Promise<Map<string, Truth>> {
  const keys = (await db.knex('clean.debtor_keys').select('office_code', 'source_debtor_id', 'debtor_id')) as { office_code: string; source_debtor_id: string; debtor_id: string }[];
  const toDebtor = new Map(keys.map((k) => [`${k.office_code}|${k.source_debtor_id}`, k.debtor_id]));
  const truth = new Map<string, Truth>();
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    const [id, office, p, amount] = line.split(';');
    if (!id || !office) continue;
    const debtor = toDebtor.get(`${office}|${id}`) ?? id;
    const t = truth.get(debtor);
    // Two office records of one person: P(pays) = 1 − (1 − p₁)(1 − p₂); expected amounts add.
    if (t) truth.set(debtor, { pPay: 1 - (1 - t.pPay) * (1 - Number(p)), expected: t.expected + Number(amount) });
    else truth.set(debtor, { pPay: Number(p), expected: Number(amount) });
  }
  return truth;
}

/** One row of the results: captured recovery of each ordering at a list length. */
export interface CapturedRow {
  n: number;
  relance: number;
  naive: number;
  best: number;
  /** relance's P(pay) × expected amount, before the contact rate and the minutes. */
  beforeContact: number;
  /** relance's P(pay) × balance. */
  pTimesBalance: number;
}

/** Measures the captured expected recovery on the list of `listDate`. */
export async function capturedRecovery(db: Database, options: { truthFile: string; listDate: string; tops?: number[] }): Promise<{ pool: number; listed: number; matched: number; rows: CapturedRow[] }> {
  const truth = await readTruth(db, options.truthFile);
  const pool = (
    await db.knex.raw(
      `select e.debtor_id, e.priority, e.expected_amount, e.listed, f.balance, s.p_pay
         from (select debtor_id, priority, expected_amount, true as listed from dialer.call_list where list_date = :d
               union all select debtor_id, priority, expected_amount, false from dialer.deferred where list_date = :d
               union all select debtor_id, priority, expected_amount, false from dialer.holdout where list_date = :d) e
         join features.debtor_features f on f.as_of = :d and f.debtor_id = e.debtor_id
         join scoring.scores s on s.as_of = :d and s.debtor_id = e.debtor_id`,
      { d: options.listDate },
    )
  ).rows as { debtor_id: string; priority: number; expected_amount: number; listed: boolean; balance: number; p_pay: number }[];
  const value = (id: string): number => truth.get(id)?.expected ?? 0;
  const matched = pool.filter((r) => truth.has(r.debtor_id)).length;
  const order = (key: (r: (typeof pool)[number]) => number): number[] => [...pool].sort((a, b) => key(b) - key(a) || (a.debtor_id < b.debtor_id ? -1 : 1)).map((r) => value(r.debtor_id));
  // The list in its order, then the rest of the pool by priority.
  const relance = order((r) => Number(r.priority) + (r.listed ? 1e12 : 0));
  const naive = order((r) => Number(r.balance));
  const best = order((r) => value(r.debtor_id));
  const beforeContact = order((r) => Number(r.p_pay) * Number(r.expected_amount));
  const pTimesBalance = order((r) => Number(r.p_pay) * Number(r.balance));
  const listed = pool.filter((r) => r.listed).length;
  const tops = [...new Set([...(options.tops ?? [100, 500, 1000]), listed])].filter((n) => n > 0 && n <= pool.length).sort((a, b) => a - b);
  const sum = (xs: number[], n: number): number => xs.slice(0, n).reduce((s, x) => s + x, 0);
  return { pool: pool.length, listed, matched, rows: tops.map((n) => ({ n, relance: sum(relance, n), naive: sum(naive, n), best: sum(best, n), beforeContact: sum(beforeContact, n), pTimesBalance: sum(pTimesBalance, n) })) };
}

/** Formats the results as a Markdown table. */
export function formatCaptured(result: Awaited<ReturnType<typeof capturedRecovery>>): string {
  const lines = [
    `eligible pool ${result.pool} debtors (${result.matched} with ground truth), listed ${result.listed}`,
    '',
    '| top N | best (truth) € | relance € | relance / best | p_pay × expected amount / best | p_pay × balance / best | naive (balance) / best |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    const ratio = (x: number): string => (r.best > 0 ? (x / r.best).toFixed(3) : '–');
    lines.push(`| ${r.n}${r.n === result.listed ? ' (list)' : ''} | ${r.best.toFixed(0)} | ${r.relance.toFixed(0)} | ${ratio(r.relance)} | ${ratio(r.beforeContact)} | ${ratio(r.pTimesBalance)} | ${ratio(r.naive)} |`);
  }
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const listDate = arg('list-date') ?? '2026-11-24';
  const url = arg('database');
  const synthN = arg('synth');
  let exportDir = arg('export');
  const db = await openDatabase({ url, dataDir: url ? undefined : arg('pglite') });
  try {
    await migrate(db);
    if (synthN) exportDir = await runNightly(db, { debtors: Number(synthN), seed: Number(arg('seed') ?? 7), listDate, dir: arg('dir') ?? path.resolve('.relance/bench-ranking/export') });
    else if (process.argv.includes('--republish')) await republish(db, listDate);
    if (!exportDir) throw new Error('--export DIR or --synth N is required');
    const truthFile = arg('truth') ?? path.join(path.dirname(exportDir), `${path.basename(exportDir)}-truth`, 'ground_truth.csv');
    const result = await capturedRecovery(db, { truthFile, listDate, tops: (arg('top') ?? '100,250,500,1000,2000').split(',').map(Number) });
    console.log(formatCaptured(result));
  } finally {
    await db.close();
  }
}

/** Synthesises an office and runs the nightly path on it (retrain first, so a champion exists). */
async function runNightly(db: Database, o: { debtors: number; seed: number; listDate: string; dir: string }): Promise<string> {
  const { synthesize } = await import('../../src/synth');
  const { createResources } = await import('../../src/pipeline/resources');
  const steps = await import('../../src/pipeline/nightly-steps');
  const log = createLogger({ level: 'warn' });
  const t0 = Date.now();
  const stamp = (what: string): void => console.error(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  await synthesize({ debtors: o.debtors, seed: o.seed, outDir: o.dir, asOf: o.listDate });
  stamp(`synthesised ${o.debtors} debtors into ${o.dir}`);
  const base = loadConfig();
  const sources = base.sources.map((s) => ({ ...s, dir: o.dir }));
  const config = loadConfig({ overrides: { sources, quality: { maxRowCountChange: 1000 } } });
  const resources = await createResources(config, { db, log });
  const runId = `bench_${o.listDate}`;
  for (const s of steps.sourceNames(resources)) await steps.extractStep(resources, s, { runId, log });
  await steps.cleanStep(resources, { runId, asOf: o.listDate, log });
  stamp('extracted and cleaned');
  const train = await steps.trainStep(resources, { runId, asOf: o.listDate, log });
  stamp(`trained: ${JSON.stringify(train.models)}`);
  await steps.featuresStep(resources, { runId, listDate: o.listDate });
  const score = await steps.scoreStep(resources, { runId, listDate: o.listDate });
  stamp(`scored ${score.rows} debtors with ${score.modelVersionId}`);
  const published = await steps.publishStep(resources, { runId, listDate: o.listDate, log });
  stamp(`published: ${JSON.stringify({ candidates: published.candidates, listed: published.listed, deferred: published.deferred, holdout: published.holdout, exclusionsByRule: published.exclusionsByRule })}`);
  return o.dir;
}

/** Publishes the list of `listDate` again from the scores already in the database. */
async function republish(db: Database, listDate: string): Promise<void> {
  const { createResources } = await import('../../src/pipeline/resources');
  const steps = await import('../../src/pipeline/nightly-steps');
  const log = createLogger({ level: 'warn' });
  const resources = await createResources(loadConfig(), { db, log });
  await steps.publishStep(resources, { runId: `bench_${listDate}`, listDate, log });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
