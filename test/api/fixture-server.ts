/**
 * Serves the API in its own process on a seeded test database (the same data as the API tests):
 * for the load benchmark, the process-level tests (Swagger UI, bull-board) and for looking at the
 * dashboard by hand. Prints one JSON line with the address and a token per role, then serves until
 * SIGTERM, when it drops its database.
 *   npx tsx test/api/fixture-server.ts [--port 0] [--debtors 2000] [--postgres] [--redis] [--gbdt]
 */
import './outside-jest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { compileConfig } from '../../src/config';
import { createLogger } from '../../src/core/log';
import { buildServer } from '../../src/api/server';
import { freshPglite, freshPostgres } from '../helpers/db';
import { services } from '../helpers/services';
import { seedApiDatabase } from './fixture';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const database = process.argv.includes('--postgres') ? await freshPostgres() : await freshPglite();
  const db = database.db;
  const fixture = await seedApiDatabase(db, { n: Number(arg('debtors', '2000')), kind: process.argv.includes('--gbdt') ? 'gbdt' : 'logistic' });
  const prefix = `relance-api-${process.pid}`;
  const config = compileConfig({ dags: { nightly_call_list: { schedule: '0 2 * * *' } }, redis: { prefix } });
  const log = createLogger({ level: (process.env.RELANCE_LOG_LEVEL as 'info') ?? 'warn' });
  let redis: Redis | undefined;
  if (process.argv.includes('--redis')) {
    redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
    // One queue with a waiting job, so that bull-board and the queue-depth gauge have something to show.
    const queue = new Queue('pool-default', { connection: redis, prefix });
    await queue.add('try', { runId: 'demo' });
    await queue.close();
  }
  const server = await buildServer({ db, config, log, scorer: fixture.scorer, redis, defaultMetrics: false });
  await server.listen({ host: '127.0.0.1', port: Number(arg('port', '0')) });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  process.stdout.write(JSON.stringify({ url, tokens: fixture.tokens, listDate: fixture.listDate, debtorId: fixture.debtorIds[0], payload: fixture.payload }) + '\n');
  const stop = async () => {
    await server.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
