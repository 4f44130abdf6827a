/**
 * Iterates on the uplift model against a bench database kept by `uplift.ts --keep`, without
 * synthesising again: fits the uplift model in-process with the given settings, scores the list
 * date, builds the list (nothing published) and prints its ratio to the best possible list of the
 * same length, as `uplift.ts` measures `uplift_ratio`, with the fit's seconds.
 *
 *   npx tsx bench/ranking/uplift-retrain.ts --database relance_bench_uplift_… --work /tmp/relance-uplift-… \
 *     [--rounds 150] [--max-arm-rows 30000] [--leaves 7] [--min-leaf 100] [--no-fit]
 *
 * `--no-fit` measures the stored model again. The `orderings` printed re-sort the pool (listed,
 * deferred, held out) by other combinations of the stored terms, at the same length.
 */
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { openDatabase, withDatabase } from '../../src/db';
import { createResources } from '../../src/pipeline/resources';
import { trainUpliftOnOffice } from '../../src/pipeline/train-uplift';
import { scoreSnapshot } from '../../src/pipeline/score-snapshot';
import { buildCallList } from '../../src/ranking/build-call-list';
import { createLogger } from '../../src/core/log';
import { readTruthColumn } from './uplift';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (n: string, d?: string): string | undefined => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
  const url = withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', get('database') as string);
  const listDate = get('date', '2026-11-24') as string;
  const config = loadConfig({ file: path.resolve(__dirname, '..', '..', 'config', 'relance.yaml'), env: { ...process.env, DATABASE_URL: url } });
  const db = await openDatabase({ url, poolMax: 2 });
  const resources = await createResources(config, { db, log: createLogger({ level: 'error' }) });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const report = argv.includes('--no-fit') ? { fitSeconds: 0, rows: {}, qini: NaN } : await trainUpliftOnOffice(resources, {
      asOf: get('as-of', '2026-11-23'),
      trigger: 'bench-iterate',
      maxArmRows: Number(get('max-arm-rows', '30000')),
      perEvent: !argv.includes('--per-snapshot'),
      snapshots: Number(get('snapshots', '12')),
      gbdt: { numRounds: Number(get('rounds', '150')), learningRate: 0.05, numLeaves: Number(get('leaves', '7')), minDataInLeaf: Number(get('min-leaf', '100')) },
    });
    await scoreSnapshot(db, { asOf: listDate, ranking: config.ranking });
    const list = await buildCallList(db, { listDate, runId: 'bench-iterate', ranking: config.ranking, timeZone: config.timezone });
    const truth = await readTruthColumn(client, path.join(get('work') as string, '.relance', 'exports', 'latest-truth', 'uplift.csv'), 'uplift_amount');
    const pool = [...list.rows, ...list.deferred, ...list.holdout].map((r) => truth.get(r.debtorId) ?? 0);
    const L = list.rows.length;
    const best = [...pool].sort((a, b) => b - a).slice(0, L).reduce((s, x) => s + x, 0);
    const listed = list.rows.reduce((s, r) => s + (truth.get(r.debtorId) ?? 0), 0);
    const rows = [...list.rows, ...list.deferred, ...list.holdout].map((r) => ({ truth: truth.get(r.debtorId) ?? 0, inc: r.incrementalRecovery ?? 0, pContact: r.pContact, amount: r.expectedAmount, pPay: r.pPay, minutes: 'expectedMinutes' in r ? r.expectedMinutes : r.pContact * 6 + (1 - r.pContact) * 1.5 }));
    const ratio = (key: (r: (typeof rows)[number]) => number): number => {
      const got = [...rows].sort((a, b) => key(b) - key(a)).slice(0, L).reduce((s, r) => s + r.truth, 0);
      return Math.round((got / best) * 1000) / 1000;
    };
    const orderings = {
      priority: ratio((r) => r.inc / r.minutes),
      no_minutes: ratio((r) => r.inc),
      no_contact: ratio((r) => (r.pContact > 0 ? r.inc / r.pContact / r.minutes : 0)),
      contact_squared: ratio((r) => (r.inc * r.pContact) / r.minutes),
      no_amount: ratio((r) => (r.amount > 0 ? r.inc / r.amount / r.minutes : 0)),
    };
    process.stdout.write(`orderings ${JSON.stringify(orderings)}\n`);
    process.stdout.write(`${JSON.stringify({ fit_s: Math.round(report.fitSeconds * 10) / 10, rows: report.rows, list_length: L, uplift_ratio: Math.round((listed / best) * 1000) / 1000, observed_qini: report.qini })}\n`);
  } finally {
    await client.end();
    await db.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
