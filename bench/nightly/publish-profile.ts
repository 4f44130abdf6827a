/**
 * Where the publish step spends its time, on a database a nightly run left scored (for example
 * one kept by `bench/nightly/run.ts --keep`): runs buildAndPublishCallList as the nightly does
 * (with the explanations of the debtors shown) and sums the wall time of the SQL statements by
 * statement (knex query events; COPY is timed apart), then prints the slowest.
 *
 *   npx tsx bench/nightly/publish-profile.ts --database URL --date 2026-11-24 [--top 25] [--memory]
 *
 * `--memory` also samples the process's memory every second (RSS, V8 heap used, memory outside
 * the heap: array buffers and the rest) and prints it every 10 s with the statement then running.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core';
import { openDatabase } from '../../src/db';
import { createLogger } from '../../src/core';
import { buildAndPublishCallList } from '../../src/ranking';
import { explainScores } from '../../src/pipeline/score-snapshot';
import { featurePhrasebook } from '../../src/features';

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** CPU seconds (user + system) the client backends of this database have used so far (Linux, same host). */
async function backendCpuSeconds(knex: import('knex').Knex): Promise<number> {
  const { rows } = (await knex.raw(`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`)) as { rows: { pid: number }[] };
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // another host or a backend gone: not counted
    }
  }
  return ticks / 100;
}

async function main(): Promise<void> {
  const database = arg('database') ?? process.env.DATABASE_URL;
  const date = arg('date') ?? '2026-11-24';
  const top = Number(arg('top') ?? '25');
  if (!database) throw new Error('--database is required');
  const config = loadConfig({ cwd: ROOT, env: {} });
  const db = await openDatabase({ url: database });
  const started = new Map<string, { at: bigint; sql: string }>();
  const totals = new Map<string, { n: number; ms: number }>();
  const add = (sql: string, ms: number): void => {
    const key = sql.replace(/\s+/g, ' ').slice(0, 140);
    const t = totals.get(key) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += ms;
    totals.set(key, t);
  };
  db.knex.on('query', (q: { __knexQueryUid: string; sql: string }) => started.set(q.__knexQueryUid, { at: process.hrtime.bigint(), sql: q.sql }));
  const done = (_r: unknown, q: { __knexQueryUid: string }): void => {
    const s = started.get(q.__knexQueryUid);
    if (!s) return;
    started.delete(q.__knexQueryUid);
    add(s.sql, Number(process.hrtime.bigint() - s.at) / 1e6);
  };
  db.knex.on('query-response', done);
  db.knex.on('query-error', (_e: unknown, q: { __knexQueryUid: string }) => done(null, q));
  const copyFrom = db.copyFrom.bind(db);
  db.copyFrom = (async (...a: Parameters<typeof db.copyFrom>) => {
    const t0 = process.hrtime.bigint();
    try {
      return await copyFrom(...a);
    } finally {
      add(String(a[0]), Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }) as typeof db.copyFrom;
  let running = '';
  db.knex.on('query', (q: { sql: string }) => { running = q.sql.replace(/\s+/g, ' ').slice(0, 90); });
  const mib = (bytes: number) => Math.round(bytes / 1048576);
  const peak = { rss: 0, heap: 0, external: 0 };
  let tick = 0;
  const sampler = process.argv.includes('--memory')
    ? setInterval(() => {
        const m = process.memoryUsage();
        peak.rss = Math.max(peak.rss, m.rss);
        peak.heap = Math.max(peak.heap, m.heapUsed);
        peak.external = Math.max(peak.external, m.external);
        if (tick++ % 10 === 0) process.stdout.write(`  ${tick - 1} s: RSS ${mib(m.rss)} MiB, heap used ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, array buffers ${mib(m.arrayBuffers)}, other external ${mib(m.external - m.arrayBuffers)}; ${running}\n`);
      }, 1000)
    : undefined;
  const log = createLogger({ level: 'warn' });
  const load = loadavg()[0] ?? 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  try {
    const report = await buildAndPublishCallList(db, {
      listDate: date,
      runId: 'bench-profile',
      config,
      log,
      clock: systemClock,
      explain: (ids, runner) => explainScores(runner ?? db.knex, { asOf: date, debtorIds: ids }),
      phrasebook: featurePhrasebook,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const sqlMs = [...totals.values()].reduce((s, t) => s + t.ms, 0);
    const pgCpu = await backendCpuSeconds(db.knex);
    process.stdout.write(`CPU: Node ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, Postgres backends ${pgCpu.toFixed(1)} s (what the load does not change much)\n`);
    process.stdout.write(`publish ${seconds.toFixed(1)} s (SQL ${(sqlMs / 1000).toFixed(1)} s, the rest in Node); load at start ${load.toFixed(2)}; candidates ${report.candidates}, listed ${report.listed}, excluded ${report.excluded}, deferred ${report.deferred}, holdout ${report.holdout}\n`);
    for (const [sql, t] of [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
      process.stdout.write(`${(t.ms / 1000).toFixed(2).padStart(8)} s ${String(t.n).padStart(6)}×  ${sql}\n`);
    }
    if (sampler) process.stdout.write(`memory peaks (sampled each second): RSS ${mib(peak.rss)} MiB, V8 heap used ${mib(peak.heap)} MiB, external ${mib(peak.external)} MiB\n`);
  } finally {
    if (sampler) clearInterval(sampler);
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`publish-profile: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
