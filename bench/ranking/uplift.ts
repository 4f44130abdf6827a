/**
 * What the call list adds: the true incremental recovery of calling the first L debtors of an
 * ordering on the list date, against the best possible list of the same length (the eligible pool
 * ranked on the true uplift), on a synthetic office.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx bench/ranking/uplift.ts --synth 20000 --seed 11 [--date 2026-11-24] [--json] [--keep]
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
 * - `uplift_ratio`: the published list in its order. Until relance ranks by the recovery a call
 *   adds, this is the same ordering as today's list, so it equals `propensity_ratio`;
 * - `propensity_ratio`: today's list (priority = P(pay) × expected amount × P(contact) / minutes);
 * - `naive_ratio`: largest balance first.
 * Each ratio is Σ true uplift of the first L / Σ true uplift of the best L. The last line of
 * standard output is one JSON object.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(__dirname, '..', '..');

interface Args {
  debtors: number;
  seed: number;
  date: string;
  database: string;
  json: boolean;
  keep: boolean;
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
  return { debtors, seed: Number(get('seed') ?? '11'), date: get('date') ?? '2026-11-24', database, json: argv.includes('--json'), keep: argv.includes('--keep') };
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

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

/** True uplift (EUR) of each relance debtor: uplift.csv records mapped through clean.debtor_keys. */
async function readUplift(db: pg.Client, file: string): Promise<Map<string, number>> {
  const keys = await db.query<{ office_code: string; source_debtor_id: string; debtor_id: string }>('select office_code, source_debtor_id, debtor_id from clean.debtor_keys');
  const toDebtor = new Map(keys.rows.map((k) => [`${k.office_code}|${k.source_debtor_id}`, k.debtor_id]));
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = (header ?? '').split(';');
  const at = (name: string): number => columns.indexOf(name);
  const [id, office, amount] = [at('id_debiteur'), at('code_etude'), at('uplift_amount')];
  const uplift = new Map<string, number>();
  for (const line of lines) {
    const f = line.split(';');
    const debtor = toDebtor.get(`${f[office]}|${f[id]}`) ?? (f[id] as string);
    uplift.set(debtor, (uplift.get(debtor) ?? 0) + Number(f[amount]));
  }
  return uplift;
}

/** One debtor of the eligible pool. */
interface PoolRow {
  debtor_id: string;
  priority: number;
  listed: boolean;
  balance: number;
}

/** The eligible pool of the list date: listed, deferred for capacity, held out. */
async function readPool(db: pg.Client, listDate: string): Promise<PoolRow[]> {
  const rows = await db.query<PoolRow>(
    `select e.debtor_id, e.priority::float8 as priority, e.listed, f.balance::float8 as balance
       from (select debtor_id, priority, true as listed from dialer.call_list where list_date = $1
             union all select debtor_id, priority, false from dialer.deferred where list_date = $1
             union all select debtor_id, priority, false from dialer.holdout where list_date = $1) e
       join features.debtor_features f on f.as_of = $1 and f.debtor_id = e.debtor_id`,
    [listDate],
  );
  return rows.rows;
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
    // No uplift ordering yet: the published list is today's propensity list.
    uplift_ratio: ratio(published, length),
    propensity_ratio: ratio(published, length),
    naive_ratio: ratio(naive, length),
    top100_uplift_ratio: ratio(published, Math.min(100, length)),
  };
}

function round(x: number, d: number): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(path.join(tmpdir(), 'relance-uplift-'));
  const name = `relance_bench_uplift_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: args.database });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = withDatabase(args.database, name);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, RELANCE_CONFIG: path.join(ROOT, 'config', 'relance.yaml'), RELANCE_HOME: path.join(work, '.relance'), RELANCE_LOG_LEVEL: 'warn' };
  delete env.REDIS_URL; // inline executor
  const load = loadavg()[0] ?? 0;
  try {
    const exportDir = path.join(work, '.relance', 'exports', 'latest');
    const t = {
      synth: await relance(['synth', '--debtors', String(args.debtors), '--seed', String(args.seed), '--as-of', args.date, '--out', exportDir], env, work),
      migrate: await relance(['migrate'], env, work),
      retrain: 0,
      nightly: 0,
    };
    const ds = new Date(Date.parse(args.date) - 86_400_000).toISOString().slice(0, 10);
    t.retrain = await relance(['dags', 'run', 'retrain', '--date', ds], env, work);
    t.nightly = await relance(['dags', 'run', 'nightly_call_list', '--date', ds], env, work);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const uplift = await readUplift(db, path.join(path.dirname(exportDir), `${path.basename(exportDir)}-truth`, 'uplift.csv'));
      const pool = await readPool(db, args.date);
      if (pool.length === 0) throw new Error(`no eligible debtor on ${args.date}`);
      const figures = upliftFigures(args.debtors, pool, uplift);
      if (!args.json) {
        process.stdout.write(`load average at start ${load.toFixed(2)}; seconds ${JSON.stringify(t)}; eligible pool ${pool.length}\n`);
      }
      process.stdout.write(JSON.stringify(figures) + '\n');
    } finally {
      await db.end();
    }
  } finally {
    if (!args.keep) {
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
