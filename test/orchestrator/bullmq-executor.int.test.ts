import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { BullmqExecutor, PgRunStore, registryOf, startWorker, waitForRun, type RunningWorker } from '../../src/orchestrator';
import { freshPostgres } from '../helpers/db';
import { describeIfPostgresAndRedis, services } from '../helpers/services';
import { behaviourSuite, createSuiteTable, type Harness, type SuiteResources } from './behaviour-suite';
import { dropPrefix } from './redis-keys';

describeIfPostgresAndRedis('BullMQ executor on Postgres and Redis', () => {
  behaviourSuite(async (): Promise<Harness> => {
    const test = await freshPostgres();
    await createSuiteTable(test.db);
    const store = new PgRunStore(test.db);
    const prefix = `relance-test-${randomBytes(4).toString('hex')}`;
    const executor = new BullmqExecutor({ url: services.redisUrl, prefix });
    const resources: SuiteResources = { db: test.db, events: [], tries: new Map(), close: async () => undefined };
    const env = { store, resources, clock: systemClock, log: silentLogger, leaseMs: 1000 };
    let worker: RunningWorker | undefined;
    return {
      store,
      resources,
      env,
      async prepare(dag, pools) {
        await worker?.close();
        worker = await startWorker({ registry: registryOf([dag]), resources, store, redis: { url: services.redisUrl, prefix }, pools, stalledIntervalMs: 1000, leaseMs: env.leaseMs });
        return executor;
      },
      finish: (runId) => waitForRun(store, runId, { pollMs: 10, timeoutMs: 30_000 }),
      async close() {
        await worker?.close();
        await executor.stop();
        await dropPrefix(prefix);
        await test.close();
      },
    };
  });

  it('queues one job per (run, task, try): the same try queued twice is one job, the next try another', async () => {
    const prefix = `relance-test-${randomBytes(4).toString('hex')}`;
    const executor = new BullmqExecutor({ url: services.redisUrl, prefix });
    try {
      const instance = { dagId: 'd', runId: 'manual__2026-06-01T00:00:00', taskId: 'extract', mapIndex: 1, pool: 'io', priority: 0 };
      await executor.enqueue(instance, 1);
      await executor.enqueue(instance, 1);
      expect(await executor.queue('io').getJobCountByTypes('waiting', 'delayed', 'prioritized')).toBe(1);
      await executor.enqueue(instance, 2, 60_000);
      const jobs = await executor.queue('io').getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.map((j) => j.data.tryNumber).sort()).toEqual([1, 2]);
      expect(new Set(jobs.map((j) => j.id)).size).toBe(2);
    } finally {
      await executor.close();
      await dropPrefix(prefix);
    }
  });
});
