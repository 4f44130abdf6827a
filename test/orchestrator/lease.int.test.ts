/**
 * No try stays `running` forever: a worker killed with SIGKILL while Redis restarts empty leaves
 * no job to deliver again, so only the try's lease in Postgres can tell that it is lost. Real
 * processes: two workers (tsx), a private `redis-server` killed and restarted empty, Postgres.
 * The DAG allows one active run (`maxActiveRuns: 1`): the next night's run is queued behind the
 * stuck one and must start as soon as the lost try is retried and its run completes.
 * RELANCE_CRASH_REPEAT=10 repeats the scenario.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { intervalStartingAt } from '../../src/dag';
import { BullmqExecutor, createOrClearRun, PgRunStore, registryOf, resolveInterval, Scheduler, waitForRun } from '../../src/orchestrator';
import { systemClock } from '../../src/core/clock';
import fixture, { createFixtureTables, type FixtureResources } from '../fixtures/dags/fixture-rows';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgresAndRedis } from '../helpers/services';
import { freePort, hasRedisServer, startRedis, stopProcess } from './processes/redis-server';
import { spawnFixture, type FixtureProcess } from './processes/spawn';

const REPEAT = Number(process.env.RELANCE_CRASH_REPEAT ?? 1);
jest.setTimeout(90_000 * REPEAT);
if (!hasRedisServer && process.env.CI === 'true') throw new Error('redis-server is missing: under CI the lease test must run (apt-get install redis-server)');
const describeWithServer = hasRedisServer ? describeIfPostgresAndRedis : describe.skip;

describeWithServer('leases of running tries (kill -9 of a worker while Redis restarts empty)', () => {
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
    if (redis) await stopProcess(redis, 'SIGKILL');
    await test.close();
  });

  it('the lost try is retried from its expired lease, the run completes and the next night starts', async () => {
    expect(fixture.maxActiveRuns).toBe(1);
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const prefix = `relance-lease-${randomBytes(4).toString('hex')}`;
    redis = await startRedis(port);
    const env = (i: number) => ({ FIXTURE_DATABASE_URL: test.url!, FIXTURE_REDIS_URL: url, FIXTURE_PREFIX: prefix, FIXTURE_APP: `${prefix}-w${i}` });
    let spawned = 0;
    const spawnWorker = async (): Promise<FixtureProcess> => {
      const w = spawnFixture(['worker', '--pools', 'io=4,default=4'], env(spawned++));
      await w.waitFor(/serving pools/);
      return w;
    };
    workers = await Promise.all([spawnWorker(), spawnWorker()]);

    const store = new PgRunStore(test.db);
    const executor = new BullmqExecutor({ url, prefix }, { requeueAfterMs: 1000 });
    const resources = { db: test.db, close: async () => undefined } as FixtureResources;
    const scheduler = new Scheduler({ registry: registryOf([fixture]), resources, store, executor });
    let sweeping = true;
    const sweep = (async () => {
      while (sweeping) {
        await scheduler.tick().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      // The night before the latest one that has ended: the scheduler owes the latest one next.
      let night = intervalStartingAt(fixture, fixture.cron!.prev(resolveInterval(fixture, {}, systemClock).start));
      for (let i = 0; i < REPEAT; i++) {
        night = intervalStartingAt(fixture, fixture.cron!.prev(night.start));
        const stuck = await createOrClearRun(fixture, store, night, { conf: { crash: 'kill' }, runType: 'scheduled' });
        while (!(await test.db.knex('public.fixture_marks').where({ run_id: stuck.runId, event: 'ready' }).first())) await new Promise((resolve) => setTimeout(resolve, 25));
        const victim = (await store.getTaskInstance({ runId: stuck.runId, taskId: 'write', mapIndex: 0 }))!;
        expect(victim).toMatchObject({ state: 'running', tryNumber: 1 });
        const killed = workers.find((w) => w.pid === victim.pid)!;
        expect(killed).toBeDefined();

        // The worker dies mid-task and Redis comes back empty: no job is left to deliver again.
        await Promise.all([killed.stop('SIGKILL'), stopProcess(redis, 'SIGKILL')]);
        redis = await startRedis(port);
        workers = [...workers.filter((w) => w !== killed), await spawnWorker()];

        const next = i === 0 ? await waitForNextRun(store, stuck.runId) : undefined;
        const done = await waitForRun(store, stuck.runId, { pollMs: 50, timeoutMs: 30_000 }).catch((e: Error) => {
          throw new Error(`${e.message}\n${workers.map((w) => w.output()).join('\n---\n')}`);
        });
        expect(done.state).toBe('success');
        const retried = (await store.getTaskInstance({ runId: stuck.runId, taskId: 'write', mapIndex: 0 }))!;
        expect(retried).toMatchObject({ state: 'success', tryNumber: 2 });
        expect(retried.pid).not.toBe(victim.pid);
        expect((await store.readLogs(stuck.runId, 'write', { mapIndex: 0, tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: TryLostError: worker .* stopped during try 1 \(lease expired\)/);
        const [counts] = (await test.db.knex.raw('select count(*)::int as n, count(distinct (part, n))::int as d from public.fixture_rows where run_id = ?', [stuck.runId])).rows as { n: number; d: number }[];
        expect(counts).toEqual({ n: 200, d: 200 });

        if (next) {
          // The scheduler's next night, queued behind the stuck run, starts once it has ended.
          const after = await waitForRun(store, next, { pollMs: 50, timeoutMs: 30_000 });
          expect(after.state).toBe('success');
          expect(after.runType).toBe('scheduled');
          expect(after.startedAt!.getTime()).toBeGreaterThanOrEqual(done.endedAt!.getTime());
        }
      }
    } finally {
      sweeping = false;
      await sweep;
      await executor.close();
    }
  });
});

/** The scheduled run the scheduler created after `runId`, checked to be waiting behind it. */
async function waitForNextRun(store: PgRunStore, runId: string): Promise<string> {
  for (;;) {
    const runs = await store.listRuns({ dagId: fixture.id });
    const next = runs.find((r) => r.runId !== runId && r.runType === 'scheduled');
    if (next) {
      const stuck = (await store.getRun(runId))!;
      if (stuck.state === 'running') expect(next.state).toBe('queued');
      return next.runId;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
