/**
 * Orchestrator benchmark: 1,000 no-op tasks in one DAG, then 100 DAGs × 10 linear tasks, then one
 * chain of 100 tasks (the unloaded hop from a task to its successor), on two
 * BullMQ worker processes with Postgres and Redis. Prints total wall time and queued → running
 * latency (p50, p99) from the task instances' timestamps.
 *
 *   node_modules/.bin/tsx bench/orchestrator/run.ts
 * (DATABASE_URL, REDIS_URL as for the tests; a scratch database is created and dropped.)
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { Redis } from 'ioredis';
import { openDatabase, migrate } from '../../src/db';
import { silentLogger } from '../../src/core/log';
import { systemClock } from '../../src/core/clock';
import { BullmqExecutor, createOrClearRun, PgRunStore, startRun, waitForRun } from '../../src/orchestrator';
import { benchRegistry } from './registry';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const name = `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: DATABASE_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${name}"`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolMax: 8 });
  await migrate(db);
  const prefix = `relance-bench-${randomBytes(3).toString('hex')}`;
  const env = { ...process.env, BENCH_DATABASE_URL: url.toString(), BENCH_REDIS_URL: REDIS_URL, BENCH_PREFIX: prefix, NODE_OPTIONS: '' };
  const workers = Array.from({ length: WORKERS }, () => spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'worker-entry.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] }));
  await Promise.all(workers.map((w) => new Promise<void>((resolve) => w.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()))));
  const store = new PgRunStore(db);
  const registry = benchRegistry();
  const executor = new BullmqExecutor({ url: REDIS_URL, prefix });
  const taskEnv = { store, resources: { db }, clock: systemClock, log: silentLogger };
  const results: string[] = [];
  try {
    for (const scenario of [{ label: '1 DAG × 1,000 parallel no-op tasks', dags: ['bench_wide'] }, { label: '100 DAGs × 10 linear no-op tasks', dags: [...registry.dags.keys()].filter((id) => id.startsWith('bench_linear_')) }, { label: '1 DAG × 100 chained no-op tasks', dags: ['bench_chain'] }]) {
      const t0 = performance.now();
      const runIds: string[] = [];
      for (const dagId of scenario.dags) {
        const dag = registry.get(dagId);
        const start = new Date();
        const run = await createOrClearRun(dag, store, { start, end: start }, { runType: 'manual' });
        await startRun(dag, run.runId, taskEnv, (ti, t) => executor.enqueue({ ...ti, dagId }, t));
        runIds.push(run.runId);
      }
      const queuedIn = (performance.now() - t0) / 1000;
      for (const id of runIds) {
        const run = await waitForRun(store, id, { pollMs: 5 });
        if (run.state !== 'success') throw new Error(`${id} ${run.state}`);
      }
      const wall = (performance.now() - t0) / 1000;
      const rows = (await db.knex('orchestrator.task_instances').whereIn('run_id', runIds).select('queued_at', 'started_at')) as { queued_at: Date; started_at: Date }[];
      const lat = rows.map((r) => new Date(r.started_at).getTime() - new Date(r.queued_at).getTime()).sort((a, b) => a - b);
      const line = `| ${scenario.label} | ${rows.length} | ${wall.toFixed(2)} s | ${queuedIn.toFixed(2)} s | ${pct(lat, 50)} ms | ${pct(lat, 99)} ms |`;
      results.push(line);
      process.stdout.write(line + '\n');
    }
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await executor.close();
    await db.close();
    await admin.raw(`drop database if exists "${name}" with (force)`);
    await admin.destroy();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
  process.stdout.write(`\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${WORKERS} workers\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
