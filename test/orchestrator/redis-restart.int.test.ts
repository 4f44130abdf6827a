/**
 * A Redis server restarted in the middle of a run: this test starts its own `redis-server` (no
 * persistence, like a cache that comes back empty), runs two worker processes against it, kills
 * the server with SIGKILL while a task is running and starts it again on the same port. Workers
 * reconnect, the scheduler's sweep queues again what Redis forgot, and the run completes with no
 * duplicated rows.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { intervalForDate } from '../../src/dag';
import { BullmqExecutor, createOrClearRun, PgRunStore, registryOf, Scheduler, startRun, waitForRun } from '../../src/orchestrator';
import fixture, { createFixtureTables, type FixtureResources } from '../fixtures/dags/fixture-rows';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgresAndRedis } from '../helpers/services';
import { freePort, hasRedisServer, startRedis, stopProcess as stop } from './processes/redis-server';
import { spawnFixture, type FixtureProcess } from './processes/spawn';

if (!hasRedisServer) {
  if (process.env.CI === 'true') throw new Error('redis-server is missing: under CI the Redis restart test must run (apt-get install redis-server)');
  console.warn('!!! SKIPPING the Redis restart test: no redis-server binary on this machine (apt-get install redis-server).');
}
const describeWithServer = hasRedisServer ? describeIfPostgresAndRedis : describe.skip;

describeWithServer('Redis server restarted during a run', () => {
  let test: TestDatabase;
  let redis: ChildProcess | undefined;
  let workers: FixtureProcess[] = [];

  beforeEach(async () => {
    test = await freshPostgres();
    await createFixtureTables(test.db);
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    workers = [];
    if (redis) await stop(redis, 'SIGKILL');
    await test.close();
  });

  it('workers reconnect, the sweep queues again what Redis forgot, and the run completes', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const prefix = `relance-restart-${randomBytes(4).toString('hex')}`;
    redis = await startRedis(port);
    const env = { FIXTURE_DATABASE_URL: test.url!, FIXTURE_REDIS_URL: url, FIXTURE_PREFIX: prefix };
    workers = [0, 1].map((i) => spawnFixture(['worker', '--pools', 'io=4,default=4'], { ...env, FIXTURE_APP: `${prefix}-w${i}` }));
    await Promise.all(workers.map((w) => w.waitFor(/serving pools/)));

    const store = new PgRunStore(test.db);
    const executor = new BullmqExecutor({ url, prefix }, { requeueAfterMs: 1000 });
    const resources = { db: test.db, close: async () => undefined } as FixtureResources;
    const scheduler = new Scheduler({ registry: registryOf([fixture]), resources, store, executor });
    let sweeping = true;
    const sweep = (async () => {
      while (sweeping) {
        await scheduler.tick().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      const run = await createOrClearRun(fixture, store, intervalForDate(fixture, '2026-05-04'), { conf: { crash: 'redis' } });
      await startRun(fixture, run.runId, { store, resources, clock: systemClock, log: silentLogger }, (ti, t) => executor.enqueue({ ...ti, dagId: fixture.id }, t));
      while (!(await test.db.knex('public.fixture_marks').where({ run_id: run.runId, event: 'ready' }).first())) await new Promise((resolve) => setTimeout(resolve, 25));

      // Part 'a' is half written and waiting: the server dies and comes back empty on the same port.
      await stop(redis, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
      redis = await startRedis(port);
      await test.db.knex('public.fixture_marks').insert({ run_id: run.runId, event: 'go' });

      const done = await waitForRun(store, run.runId, { pollMs: 100, timeoutMs: 60_000 }).catch((e: Error) => {
        throw new Error(`${e.message}\n${workers.map((w) => w.output()).join('\n---\n')}`);
      });
      expect(done.state).toBe('success');
      const [counts] = (await test.db.knex.raw('select count(*)::int as n, count(distinct (part, n))::int as d from public.fixture_rows where run_id = ?', [run.runId])).rows as { n: number; d: number }[];
      expect(counts).toEqual({ n: 200, d: 200 });
      expect(await store.getResults(run.runId, 'count')).toEqual([{ mapIndex: -1, value: { rows: 200 } }]);
      expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
    } finally {
      sweeping = false;
      await sweep;
      await executor.close();
    }
  });
});
