import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { BullmqExecutor, createOrClearRun, PgRunStore, registryOf, resolveInterval, startRun, startWorker, waitForRun, type RunningWorker } from '../../src/orchestrator';
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
    const env = { store, resources, clock: systemClock, log: silentLogger };
    let worker: RunningWorker | undefined;
    return {
      store,
      resources,
      async run(dag, options) {
        await worker?.close();
        worker = await startWorker({ registry: registryOf([dag]), resources, store, redis: { url: services.redisUrl, prefix }, pools: options.pools, stalledIntervalMs: 1000 });
        const run = await createOrClearRun(dag, store, resolveInterval(dag, options, systemClock), options);
        await startRun(dag, run.runId, env, (ti, tryNumber) => executor.enqueue({ ...ti, dagId: dag.id }, tryNumber));
        const done = await waitForRun(store, run.runId, { pollMs: 10, timeoutMs: 30_000 });
        return { run: done, instances: await store.listTaskInstances(run.runId) };
      },
      async close() {
        await worker?.close();
        await executor.close();
        await dropPrefix(prefix);
        await test.close();
      },
    };
  });
});
