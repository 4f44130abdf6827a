/**
 * The weekly retrain and the nightly list of a synthetic office of N debtors, on Postgres, as the
 * production processes run them: `relance synth` writes the export, then `relance dags run
 * retrain` and `relance dags run nightly_call_list` run in their own processes (GNU time measures
 * each one's peak RSS). Task durations come from `orchestrator.task_instances`.
 *
 *   npx tsx bench/nightly/run.ts --debtors 100000 [--seed 7] [--date 2026-11-24] [--database URL] [--json] [--keep]
 *   npx tsx bench/nightly/run.ts --debtors 100000 --nightly-only KEPT_DATABASE KEPT_DIR [--json]
 *   npx tsx bench/nightly/run.ts --debtors 100000 --again KEPT_DATABASE KEPT_DIR [--json]
 *
 * `--nightly-only` runs the nightly again (`--rerun`) on a database and work folder an earlier run
 * kept (`--keep` prints both): the retrain's figures in the JSON are those of its latest run there.
 * `--again` runs both again there, the retrain then the nightly (the export is the one already
 * loaded: `extract` and `clean` find nothing new, so it measures the code of `train` onwards).
 * With `--json` the lines per process and per task go to standard error.
 *
 * The database is created next to `--database` (or DATABASE_URL) and dropped at the end unless
 * `--keep`. The last line of standard output is one JSON object:
 * {"debtors":N,"retrain_s":…,"nightly_s":…,"tasks":{"extract":…,"clean":…,"features":…,"train":…,
 *  "score":…,"publish":…,"drift":…},"peak_rss_mb":…}
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '../../src/db';

interface Args {
  debtors: number;
  seed: number;
  date: string;
  database: string;
  json: boolean;
  keep: boolean;
  /** A kept database and work folder: only the nightly runs again, or (`retrain`) both. */
  nightlyOnly?: { name: string; work: string; retrain: boolean };
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const debtors = Number(get('debtors') ?? '20000');
  if (!Number.isInteger(debtors) || debtors <= 0) throw new Error('--debtors must be a positive integer');
  const database = get('database') ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const again = argv.indexOf('--again');
  const only = again >= 0 ? again : argv.indexOf('--nightly-only');
  const nightlyOnly = only >= 0 ? { name: argv[only + 1] ?? '', work: argv[only + 2] ?? '', retrain: again >= 0 } : undefined;
  if (nightlyOnly && (!nightlyOnly.name || !nightlyOnly.work)) throw new Error('--nightly-only and --again need the kept database name and work folder');
  return { debtors, seed: Number(get('seed') ?? '7'), date: get('date') ?? '2026-11-24', database, json: argv.includes('--json'), keep: argv.includes('--keep') || nightlyOnly !== undefined, ...(nightlyOnly ? { nightlyOnly } : {}) };
}

const ROOT = path.resolve(__dirname, '..', '..');

interface RssSample {
  at: number; // epoch ms
  mb: number;
}

/** VmRSS (MiB) of the process GNU time started (its only child), or null while it has none. */
function childRss(timePid: number): number | null {
  try {
    const children = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length === 0) return null;
    const status = readFileSync(`/proc/${children[0]}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs one `relance` command under GNU time; returns its wall seconds, peak RSS (MiB) and RSS samples every 200 ms. */
function relance(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ seconds: number; peakMb: number; samples: RssSample[] }> {
  const timeFile = path.join(cwd, `time-${randomBytes(3).toString('hex')}.txt`);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, process.execPath, path.join(ROOT, 'bin', 'relance.js'), ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const samples: RssSample[] = [];
    const sampler = setInterval(() => {
      const mb = child.pid === undefined ? null : childRss(child.pid);
      if (mb !== null) samples.push({ at: Date.now(), mb });
    }, 200);
    child.stdout.on('data', (d: Buffer) => process.stderr.write(d));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      process.stderr.write(d);
    });
    child.on('exit', (code) => {
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`relance ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`));
      const report = readFileSync(timeFile, 'utf8');
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? NaN);
      resolve({ seconds, peakMb: kb / 1024, samples });
    });
  });
}

/** Wall time of each task of a run (a mapped task: first start to last end), in seconds, and its interval. */
async function taskSeconds(client: pg.Client, dagId: string): Promise<{ run: number; tasks: Record<string, number>; spans: Record<string, [number, number]> }> {
  // From the first task's start to the last one's end: a rerun keeps its run's first start.
  const run = await client.query<{ seconds: number }>(
    `select extract(epoch from max(t.ended_at) - min(t.started_at))::float8 as seconds
       from orchestrator.task_instances t
      where t.run_id = (select run_id from orchestrator.dag_runs where dag_id = $1 order by created_at desc limit 1)`,
    [dagId],
  );
  const tasks = await client.query<{ task_id: string; seconds: number; from_ms: number; to_ms: number }>(
    `select t.task_id, extract(epoch from max(t.ended_at) - min(t.started_at))::float8 as seconds,
            extract(epoch from min(t.started_at))::float8 * 1000 as from_ms, extract(epoch from max(t.ended_at))::float8 * 1000 as to_ms
       from orchestrator.task_instances t
       join orchestrator.dag_runs r using (run_id)
      where r.dag_id = $1 and r.run_id = (select run_id from orchestrator.dag_runs where dag_id = $1 order by created_at desc limit 1)
      group by t.task_id`,
    [dagId],
  );
  return {
    run: Number(run.rows[0]?.seconds ?? NaN),
    tasks: Object.fromEntries(tasks.rows.map((r) => [r.task_id, Number(r.seconds)])),
    spans: Object.fromEntries(tasks.rows.map((r) => [r.task_id, [Number(r.from_ms), Number(r.to_ms)] as [number, number]])),
  };
}

/** The highest RSS sampled while each task ran (MiB). */
function taskPeaks(samples: RssSample[], spans: Record<string, [number, number]>): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const [task, [from, to]] of Object.entries(spans)) {
    let peak = 0;
    for (const s of samples) if (s.at >= from && s.at <= to && s.mb > peak) peak = s.mb;
    peaks[task] = Math.round(peak);
  }
  return peaks;
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = args.nightlyOnly?.work ?? mkdtempSync(path.join(tmpdir(), 'relance-nightly-'));
  const name = args.nightlyOnly?.name ?? `relance_bench_nightly_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: args.database });
  await admin.connect();
  if (!args.nightlyOnly) await admin.query(`create database "${name}"`);
  const url = withDatabase(args.database, name);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, RELANCE_CONFIG: path.join(ROOT, 'config', 'relance.yaml'), RELANCE_HOME: path.join(work, '.relance'), RELANCE_LOG_LEVEL: 'warn' };
  delete env.REDIS_URL; // inline executor: the tasks run in the measured process
  const load = loadavg()[0];
  try {
    const exportDir = path.join(work, '.relance', 'exports', 'latest');
    const none = { seconds: NaN, peakMb: NaN, samples: [] as RssSample[] };
    const synth = args.nightlyOnly ? none : await relance(['synth', '--debtors', String(args.debtors), '--seed', String(args.seed), '--as-of', args.date, '--out', exportDir], env, work);
    await relance(['migrate'], env, work);
    const ds = new Date(Date.parse(args.date) - 86_400_000).toISOString().slice(0, 10);
    // The retrain runs on Sundays: the latest Sunday before the list date.
    const sunday = new Date(Date.parse(args.date) - 86_400_000 * (new Date(args.date).getUTCDay() || 7)).toISOString().slice(0, 10);
    const retrain = args.nightlyOnly && !args.nightlyOnly.retrain ? none : await relance(['dags', 'run', 'retrain', '--date', sunday, ...(args.nightlyOnly ? ['--rerun'] : [])], env, work);
    const nightly = await relance(['dags', 'run', 'nightly_call_list', '--date', ds, ...(args.nightlyOnly ? ['--rerun'] : [])], env, work);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const r = await taskSeconds(db, 'retrain');
    const n = await taskSeconds(db, 'nightly_call_list');
    const states = await db.query<{ dag_id: string; state: string }>('select dag_id, state from orchestrator.dag_runs');
    await db.end();
    const failed = states.rows.filter((s) => s.state !== 'success');
    if (failed.length > 0) throw new Error(`runs did not succeed: ${failed.map((f) => `${f.dag_id} ${f.state}`).join(', ')}`);
    const tasks = {
      // the retrain loads the export; the nightly after it finds the same files already loaded
      extract: round(r.tasks.extract ?? NaN),
      clean: round(n.tasks.clean ?? NaN),
      features: round(n.tasks.features ?? NaN),
      train: round(r.tasks.train ?? NaN),
      score: round(n.tasks.score ?? NaN),
      publish: round(n.tasks.publish ?? NaN),
      drift: round(n.tasks.drift ?? NaN),
    };
    const result = {
      debtors: args.debtors,
      retrain_s: round(r.run),
      nightly_s: round(n.run),
      tasks,
      peak_rss_mb: Math.round(args.nightlyOnly && !args.nightlyOnly.retrain ? nightly.peakMb : Math.max(retrain.peakMb, nightly.peakMb)),
    };
    {
      const out = args.json ? process.stderr : process.stdout;
      out.write(`synth ${round(synth.seconds)} s (peak ${Math.round(synth.peakMb)} MiB); load average at start ${(load ?? 0).toFixed(2)}\n`);
      out.write(`retrain ${round(r.run)} s (process ${round(retrain.seconds)} s, peak ${Math.round(retrain.peakMb)} MiB): ${JSON.stringify(r.tasks)}\n`);
      out.write(`nightly ${round(n.run)} s (process ${round(nightly.seconds)} s, peak ${Math.round(nightly.peakMb)} MiB): ${JSON.stringify(n.tasks)}\n`);
      out.write(`peak RSS by task (MiB, sampled every 200 ms): retrain ${JSON.stringify(taskPeaks(retrain.samples, r.spans))}; nightly ${JSON.stringify(taskPeaks(nightly.samples, n.spans))}\n`);
    }
    process.stdout.write(JSON.stringify(result) + '\n');
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

main().catch((error: unknown) => {
  process.stderr.write(`bench/nightly: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
