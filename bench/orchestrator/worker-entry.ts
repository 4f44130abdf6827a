/** A benchmark worker process: the bench DAGs on BENCH_DATABASE_URL / BENCH_REDIS_URL / BENCH_PREFIX. */
import { openDatabase } from '../../src/db';
import { silentLogger } from '../../src/core/log';
import { PgRunStore, startWorker } from '../../src/orchestrator';
import { benchRegistry } from './registry';

async function main(): Promise<void> {
  const db = await openDatabase({ url: process.env.BENCH_DATABASE_URL, poolMax: 8, applicationName: 'relance-bench-worker' });
  const worker = await startWorker({
    registry: benchRegistry(), resources: { db }, store: new PgRunStore(db), log: silentLogger,
    redis: { url: process.env.BENCH_REDIS_URL!, prefix: process.env.BENCH_PREFIX }, pools: { default: Number(process.env.BENCH_CONCURRENCY ?? 8) },
  });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void worker.close().then(() => db.close()).then(() => process.exit(0)));
}

void main();
