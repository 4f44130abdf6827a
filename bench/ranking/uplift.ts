/**
 * What the call list adds: the true incremental recovery of calling the first L debtors of an
 * ordering on the list date, against the best possible list of the same length (the eligible pool
 * ranked on the true uplift), on a synthetic office.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/ranking/uplift.ts --synth 20000 --seed 11 [--date 2026-11-24] [--json] [--keep]
 *   (--reuse <database> --work <dir> measures a database kept with --keep again, without rerunning)
 *
 * Creates its own database next to DATABASE_URL (dropped at the end unless --keep), runs
 * `relance synth`, `migrate`, `dags run retrain` and `dags run nightly_call_list` in their own
 * processes (as bench/nightly/run.ts does), then reads the pool the nightly drew the list from —
 * the debtors eligible after compliance: listed, deferred for capacity or held out — and the
 * truth folder's `uplift.csv` (exact expected recovery in 30 days if called once in the recommended
 * window on the list date, minus if not called that day; the usual policy otherwise). A person
 * exported by two offices is one relance debtor: the uplifts of the records add.
 *
 * Orderings of the pool, each cut at L = the published list's length:
 * - `uplift_ratio`: the published list in its order (with the default `ranking.objective: uplift`,
 *   priority = P(contact) × learned incremental recovery / expected minutes);
 * - `propensity_ratio`: today's list, the same night ranked again in-process with
 *   `ranking.objective: propensity` (priority = P(pay) × expected amount × P(contact) / minutes);
 * - `naive_ratio`: largest balance first.
 * Each ratio is Σ true uplift of the first L / Σ true uplift of the best L. The last line of
 * standard output is one JSON object. The line before it (`learned {…}`, skipped with --no-model)
 * gives, for the published uplift priority, the stored incremental recovery, today's priority, the
 * truth's expected payment under the usual policy (a perfect propensity model) and largest balance
 * first, the ratios at L and at 100 and the Qini coefficient against the true uplift, the true
 * uplift by decile of the published ordering, and the uplift model's own evaluation as stored by
 * the retrain (observed Qini on a later snapshot). `--bench-learner` adds the T-learner fitted
 * in the bench (./learned-uplift.ts), for comparison with earlier results.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { qiniCoefficient, upliftByDecile } from '../../src/model/uplift/uplift-metrics';
import { learnUplift, type LearnedUplift } from './learned-uplift';
import { openDatabase, withDatabase } from '../../src/db';
import { loadConfig } from '../../src/config';
import { buildCallList } from '../../src/ranking/build-call-list';

const ROOT = path.resolve(__dirname, '..', '..');
/** Weight kept on a debtor's own learned uplift against the pool's mean (see learnedFigures). */
const SHRINK = Number(process.env.UPLIFT_SHRINK ?? '0.25');

interface Args {
  debtors: number;
  seed: number;
  date: string;
  database: string;
  json: boolean;
  keep: boolean;
  noModel: boolean;
  benchLearner: boolean;
  /** Measure an existing bench database (kept with --keep) instead of synthesising one. */
  reuse?: { database: string; work: string };
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const debtors = Number(get('synth') ?? '20000');
  if (!Number.isInteger(debtors) || debtors <= 0) throw new Error('--synth must be a positive integer');
  const database = get('database') ?? process.env.DATABASE_URL;
  if (!database) throw new Error('DATABASE_URL (or --database) is required');
  const reuseDb = get('reuse');
  const reuseWork = get('work');
  return {
    debtors,
    seed: Number(get('seed') ?? '11'),
    date: get('date') ?? '2026-11-24',
    database,
    json: argv.includes('--json'),
    keep: argv.includes('--keep'),
    noModel: argv.includes('--no-model'),
    benchLearner: argv.includes('--bench-learner'),
    ...(reuseDb && reuseWork ? { reuse: { database: reuseDb, work: reuseWork } } : {}),
  };
}

/** Runs one `relance` command, its output to our standard error. */
function relance(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'relance.js'), ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', (d: Buffer) => process.stderr.write(d));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      process.stderr.write(d);
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`relance ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`));
      resolve((Date.now() - started) / 1000);
    });
  });
}

/** A per-record truth column of the truth folder summed per relance debtor (twins add). */
export async function readTruthColumn(db: pg.Client, file: string, column: string): Promise<Map<string, number>> {
  const keys = await db.query<{ office_code: string; source_debtor_id: string; debtor_id: string }>('select office_code, source_debtor_id, debtor_id from clean.debtor_keys');
  const toDebtor = new Map(keys.rows.map((k) => [`${k.office_code}|${k.source_debtor_id}`, k.debtor_id]));
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = (header ?? '').split(';');
  const [id, office, value] = [columns.indexOf('id_debiteur'), columns.indexOf('code_etude'), columns.indexOf(column)];
  const out = new Map<string, number>();
  for (const line of lines) {
    const f = line.split(';');
    const debtor = toDebtor.get(`${f[office]}|${f[id]}`) ?? (f[id] as string);
    out.set(debtor, (out.get(debtor) ?? 0) + Number(f[value]));
  }
  return out;
}

/** One debtor of the eligible pool. */
export interface PoolRow {
  debtor_id: string;
  priority: number;
  listed: boolean;
  balance: number;
  /** relance's expected amount if the debtor pays. */
  expected_amount: number;
  /** The stored incremental recovery of a call (scoring.scores), null without an uplift model. */
  incremental_recovery: number | null;
  /** Today's priority (the night ranked with `ranking.objective: propensity`). */
  propensity_priority: number;
  /** Listed on today's (propensity) list. */
  propensity_listed: boolean;
}

/** The eligible pool of the list date: listed, deferred for capacity, held out. */
export async function readPool(db: pg.Client, listDate: string): Promise<PoolRow[]> {
  const rows = await db.query<PoolRow>(
    `select e.debtor_id, e.priority::float8 as priority, e.listed, f.balance::float8 as balance, e.expected_amount::float8 as expected_amount,
            s.incremental_recovery
       from (select debtor_id, priority, expected_amount, true as listed from dialer.call_list where list_date = $1
             union all select debtor_id, priority, expected_amount, false from dialer.deferred where list_date = $1
             union all select debtor_id, priority, expected_amount, false from dialer.holdout where list_date = $1) e
       join features.debtor_features f on f.as_of = $1 and f.debtor_id = e.debtor_id
       left join scoring.scores s on s.as_of = $1 and s.debtor_id = e.debtor_id`,
    [listDate],
  );
  return rows.rows.map((r) => ({ ...r, propensity_priority: r.priority, propensity_listed: r.listed }));
}

/**
 * Today's ordering of the same night: the list built again in-process (nothing published) with
 * `ranking.objective: propensity`, its priorities and listed flags written into `pool`.
 */
export async function addPropensityOrdering(url: string, configFile: string, listDate: string, pool: PoolRow[]): Promise<void> {
  const config = loadConfig({ file: configFile, env: { ...process.env, DATABASE_URL: url } });
  const db = await openDatabase({ url, poolMax: 2, applicationName: 'bench-uplift' });
  try {
    const list = await buildCallList(db, { listDate, runId: 'bench-propensity', ranking: { ...config.ranking, objective: 'propensity' }, timeZone: config.timezone });
    const priority = new Map<string, [number, boolean]>();
    for (const r of list.rows) priority.set(r.debtorId, [r.priority, true]);
    for (const r of [...list.deferred, ...list.holdout]) priority.set(r.debtorId, [r.priority, false]);
    for (const r of pool) {
      const p = priority.get(r.debtor_id);
      if (p) [r.propensity_priority, r.propensity_listed] = p;
    }
  } finally {
    await db.close();
  }
}

/** The figures of one list: ratios of the true incremental recovery to the best possible. */
export interface UpliftFigures {
  debtors: number;
  list_length: number;
  best_incremental: number;
  uplift_ratio: number;
  propensity_ratio: number;
  naive_ratio: number;
  top100_uplift_ratio: number;
}

/** Compares the orderings of `pool` on the true uplift. */
export function upliftFigures(debtors: number, pool: PoolRow[], uplift: Map<string, number>): UpliftFigures {
  const value = (r: PoolRow): number => uplift.get(r.debtor_id) ?? 0;
  const order = (key: (r: PoolRow) => number): number[] =>
    [...pool].sort((a, b) => key(b) - key(a) || (a.debtor_id < b.debtor_id ? -1 : 1)).map(value);
  const sum = (xs: number[], n: number): number => xs.slice(0, n).reduce((s, x) => s + x, 0);
  // The published list in its order, then the rest of the pool by priority.
  const published = order((r) => r.priority + (r.listed ? 1e12 : 0));
  const today = order((r) => r.propensity_priority + (r.propensity_listed ? 1e12 : 0));
  const naive = order((r) => r.balance);
  const best = order(value);
  const length = pool.filter((r) => r.listed).length;
  const bestL = sum(best, length);
  const ratio = (xs: number[], n: number): number => {
    const b = sum(best, n);
    return b > 0 ? round(sum(xs, n) / b, 3) : NaN;
  };
  return {
    debtors,
    list_length: length,
    best_incremental: round(bestL, 0),
    uplift_ratio: ratio(published, length),
    propensity_ratio: ratio(today, length),
    naive_ratio: ratio(naive, length),
    top100_uplift_ratio: ratio(published, Math.min(100, length)),
  };
}

/**
 * The orderings a model or the truth would give, measured like the list: the T-learner's
 * (learned P(pay) uplift × relance's expected amount), today's priority and the truth's own
 * expected payment under the usual policy (a perfect propensity model), each as the ratio at the
 * list's length and at 100, the Qini coefficient against the true uplift, and the learned
 * ordering's true uplift by decile (EUR).
 */
export function learnedFigures(pool: PoolRow[], uplift: Map<string, number>, expected: Map<string, number>, learned: LearnedUplift, length: number): Record<string, unknown> {
  const truth = pool.map((r) => uplift.get(r.debtor_id) ?? 0);
  const best = [...truth].sort((a, b) => b - a);
  const top = (n: number): number => best.slice(0, n).reduce((s, x) => s + x, 0);
  // The learned P(pay) uplift is noisy; shrunk towards its mean over the pool (SHRINK of the
  // debtor's own deviation kept) before it multiplies the amount, so that noise on large amounts
  // does not decide the order. 0.25 was chosen on one office (5,000 debtors, seed 7).
  const lifts = pool.map((r) => learned.upliftP.get(r.debtor_id) ?? 0);
  const meanLift = lifts.reduce((s, x) => s + x, 0) / Math.max(1, lifts.length);
  const orderings: Record<string, number[]> = {
    t_learner: pool.map((r, i) => (lifts[i] as number) * r.expected_amount),
    t_learner_shrunk: pool.map((r, i) => (meanLift + SHRINK * ((lifts[i] as number) - meanLift)) * r.expected_amount),
    propensity: pool.map((r) => r.propensity_priority),
    true_propensity: pool.map((r) => expected.get(r.debtor_id) ?? 0),
    naive: pool.map((r) => r.balance),
  };
  const out: Record<string, unknown> = { snapshots: learned.snapshots.length, rows: learned.rows, fit_s: round(learned.seconds, 1) };
  for (const [name, scores] of Object.entries(orderings)) {
    const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => truth[i] as number);
    const sum = (n: number): number => order.slice(0, n).reduce((s, x) => s + x, 0);
    out[`${name}_ratio`] = round(sum(length) / top(length), 3);
    out[`${name}_top100_ratio`] = round(sum(100) / top(100), 3);
    out[`${name}_qini`] = round(qiniCoefficient(scores, truth), 3);
  }
  out.t_learner_deciles = upliftByDecile(orderings.t_learner as number[], truth).map((x) => round(x, 2));
  out.t_learner_shrunk_deciles = upliftByDecile(orderings.t_learner_shrunk as number[], truth).map((x) => round(x, 2));
  return out;
}

/**
 * Orderings relance computes, measured like the list: the published priority, the stored
 * incremental recovery (no P(contact), no minutes), today's priority, the truth's expected payment
 * under the usual policy (a perfect propensity model) and largest balance first: ratio at the list's
 * length and at 100, Qini against the true uplift; the true uplift by decile of the published
 * ordering (EUR).
 */
export function modelFigures(pool: PoolRow[], uplift: Map<string, number>, expected: Map<string, number>, length: number): Record<string, unknown> {
  const truth = pool.map((r) => uplift.get(r.debtor_id) ?? 0);
  const best = [...truth].sort((a, b) => b - a);
  const top = (n: number): number => best.slice(0, n).reduce((s, x) => s + x, 0);
  const orderings: Record<string, number[]> = {
    published: pool.map((r) => r.priority),
    incremental: pool.map((r) => r.incremental_recovery ?? 0),
    propensity: pool.map((r) => r.propensity_priority),
    true_propensity: pool.map((r) => expected.get(r.debtor_id) ?? 0),
    naive: pool.map((r) => r.balance),
  };
  const out: Record<string, unknown> = {};
  for (const [name, scores] of Object.entries(orderings)) {
    const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => truth[i] as number);
    const sum = (n: number): number => order.slice(0, n).reduce((s, x) => s + x, 0);
    out[`${name}_ratio`] = round(sum(length) / top(length), 3);
    out[`${name}_top100_ratio`] = round(sum(100) / top(100), 3);
    out[`${name}_qini`] = round(qiniCoefficient(scores, truth), 3);
  }
  out.published_deciles = upliftByDecile(orderings.published as number[], truth).map((x) => round(x, 2));
  return out;
}

function round(x: number, d: number): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = args.reuse?.work ?? mkdtempSync(path.join(tmpdir(), 'relance-uplift-'));
  const name = args.reuse?.database ?? `relance_bench_uplift_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: args.database });
  await admin.connect();
  if (!args.reuse) await admin.query(`create database "${name}"`);
  const url = withDatabase(args.database, name);
  const configFile = path.join(ROOT, 'config', 'relance.yaml');
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, RELANCE_CONFIG: configFile, RELANCE_HOME: path.join(work, '.relance'), RELANCE_LOG_LEVEL: 'warn' };
  delete env.REDIS_URL; // inline executor
  const load = loadavg()[0] ?? 0;
  const keep = args.keep || args.reuse !== undefined;
  try {
    const exportDir = path.join(work, '.relance', 'exports', 'latest');
    const t = { synth: 0, migrate: 0, retrain: 0, nightly: 0 };
    if (!args.reuse) {
      t.synth = await relance(['synth', '--debtors', String(args.debtors), '--seed', String(args.seed), '--as-of', args.date, '--out', exportDir], env, work);
      t.migrate = await relance(['migrate'], env, work);
      const ds = new Date(Date.parse(args.date) - 86_400_000).toISOString().slice(0, 10);
      // The retrain runs on Sundays: the latest Sunday before the list date.
      const sunday = new Date(Date.parse(args.date) - 86_400_000 * (new Date(args.date).getUTCDay() || 7)).toISOString().slice(0, 10);
      t.retrain = await relance(['dags', 'run', 'retrain', '--date', sunday], env, work);
      t.nightly = await relance(['dags', 'run', 'nightly_call_list', '--date', ds], env, work);
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const truthDir = path.join(path.dirname(exportDir), `${path.basename(exportDir)}-truth`);
      const uplift = await readTruthColumn(db, path.join(truthDir, 'uplift.csv'), 'uplift_amount');
      const pool = await readPool(db, args.date);
      if (pool.length === 0) throw new Error(`no eligible debtor on ${args.date}`);
      await addPropensityOrdering(url, configFile, args.date, pool);
      const figures = upliftFigures(args.debtors, pool, uplift);
      const publication = await db.query<{ objective: string; uplift_model_version_id: string | null }>('select objective, uplift_model_version_id from dialer.publications where list_date = $1', [args.date]);
      const evaluation = await db.query<{ evaluation: Record<string, unknown>; fit_rows: unknown; fit_seconds: number }>('select evaluation, fit_rows, fit_seconds from scoring.uplift_models where version_id = $1', [publication.rows[0]?.uplift_model_version_id ?? '']);
      process.stdout.write(`load average at start ${load.toFixed(2)}; seconds ${JSON.stringify(t)}; eligible pool ${pool.length}; objective ${publication.rows[0]?.objective ?? '?'}\n`);
      if (!args.noModel) {
        const expected = await readTruthColumn(db, path.join(truthDir, 'ground_truth.csv'), 'expected_amount_30d');
        const stored = evaluation.rows[0];
        const model = { ...modelFigures(pool, uplift, expected, figures.list_length), ...(stored ? { observed_qini: round(Number(stored.evaluation.qini), 4), fit_rows: stored.fit_rows, fit_s: round(Number(stored.fit_seconds), 1) } : {}) };
        if (args.benchLearner) {
          const learned = await learnUplift(db, args.date, pool.map((r) => r.debtor_id));
          Object.assign(model, learnedFigures(pool, uplift, expected, learned, figures.list_length));
        }
        process.stdout.write(`learned ${JSON.stringify(model)}\n`);
      }
      process.stdout.write(JSON.stringify(figures) + '\n');
    } finally {
      await db.end();
    }
  } finally {
    if (!keep) {
      await admin.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    } else {
      process.stderr.write(`kept database ${name} and ${work}\n`);
    }
    await admin.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench/ranking/uplift: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
