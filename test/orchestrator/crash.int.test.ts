/**
 * Crash safety with real processes: two worker processes (tsx), real Postgres and Redis.
 * RELANCE_CRASH_REPEAT=10 repeats each scenario.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { intervalForDate } from '../../src/dag';
import { BullmqExecutor, createOrClearRun, PgRunStore, startRun, waitForRun } from '../../src/orchestrator';
import fixture, { createFixtureTables, type FixtureResources } from '../fixtures/dags/fixture-rows';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgresAndRedis, services } from '../helpers/services';
import { dropPrefix } from './redis-keys';
import { spawnFixture, type FixtureProcess } from './processes/spawn';

const REPEAT = Number(process.env.RELANCE_CRASH_REPEAT ?? 1);
jest.setTimeout(120_000 * REPEAT);

describeIfPostgresAndRedis('crash safety with real worker processes', () => {
  let test: TestDatabase;
  let prefix: string;
  let workers: FixtureProcess[] = [];
  let store: PgRunStore;

  beforeEach(async () => {
    test = await freshPostgres();
    await createFixtureTables(test.db);
    store = new PgRunStore(test.db);
    prefix = `relance-crash-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    workers = [];
    await dropPrefix(prefix);
    await test.close();
  });

  const env = (app: string) => ({ FIXTURE_DATABASE_URL: test.url!, FIXTURE_REDIS_URL: services.redisUrl, FIXTURE_PREFIX: prefix, FIXTURE_APP: app });
  async function startWorkers(n: number): Promise<void> {
    workers = Array.from({ length: n }, (_, i) => spawnFixture(['worker', '--pools', 'io=4,default=4'], env(`${prefix}-w${i}`)));
    await Promise.all(workers.map((w) => w.waitFor(/serving pools/)));
  }
  /** Triggers the fixture DAG for a date with `conf` and returns its run id. */
  async function trigger(date: string, conf: Record<string, unknown>): Promise<string> {
    const run = await createOrClearRun(fixture, store, intervalForDate(fixture, date), { conf });
    const executor = new BullmqExecutor({ url: services.redisUrl, prefix });
    try {
      await startRun(fixture, run.runId, { store, resources: { db: test.db, close: async () => undefined } as FixtureResources, clock: systemClock, log: silentLogger }, (ti, t) => executor.enqueue({ ...ti, dagId: fixture.id }, t));
    } finally {
      await executor.close();
    }
    return run.runId;
  }
  async function waitForMark(runId: string, event: string): Promise<void> {
    for (;;) {
      if (await test.db.knex('public.fixture_marks').where({ run_id: runId, event }).first()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  async function assertRows(runId: string): Promise<void> {
    const [counts] = (await test.db.knex.raw('select count(*)::int as n, count(distinct (part, n))::int as d from public.fixture_rows where run_id = ?', [runId])).rows as { n: number; d: number }[];
    expect(counts).toEqual({ n: 200, d: 200 });
    expect(await store.getResults(runId, 'count')).toEqual([{ mapIndex: -1, value: { rows: 200 } }]);
  }

  it('kill -9 of a worker in the middle of a task: try 2 runs on the other worker, no duplicated rows', async () => {
    await startWorkers(2);
    for (let i = 0; i < REPEAT; i++) {
      const runId = await trigger(`2026-02-${String(i + 1).padStart(2, '0')}`, { crash: 'kill' });
      await waitForMark(runId, 'ready');
      const victim = (await store.getTaskInstance({ runId, taskId: 'write', mapIndex: 0 }))!;
      expect(victim).toMatchObject({ state: 'running', tryNumber: 1 });
      const killed = workers.find((w) => w.pid === victim.pid)!;
      expect(killed).toBeDefined();
      killed.child.kill('SIGKILL');
      await killed.exited;
      const run = await waitForRun(store, runId, { pollMs: 50, timeoutMs: 60_000 });
      expect(run.state).toBe('success');
      const retried = (await store.getTaskInstance({ runId, taskId: 'write', mapIndex: 0 }))!;
      expect(retried.tryNumber).toBe(2);
      expect(retried.pid).not.toBe(victim.pid);
      expect((await store.readLogs(runId, 'write', { mapIndex: 0, tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: TryLostError: worker .* stopped during try 1/);
      await assertRows(runId);
      if (i === REPEAT - 1) break;
      // Keep two workers for the next round.
      const survivor = workers.find((w) => w !== killed)!;
      const fresh = spawnFixture(['worker', '--pools', 'io=4,default=4'], env(`${prefix}-w${i + 2}`));
      await fresh.waitFor(/serving pools/);
      workers = [survivor, fresh];
    }
  });

  it('Postgres connection of the task terminated: that try fails cleanly and is retried', async () => {
    await startWorkers(1);
    for (let i = 0; i < REPEAT; i++) {
      const runId = await trigger(`2026-03-${String(i + 1).padStart(2, '0')}`, { crash: 'pg' });
      await waitForMark(runId, 'ready');
      // The worker's connection sleeping in pg_sleep is the task's.
      let terminated = 0;
      while (terminated === 0) {
        const rows = (await test.db.knex.raw("select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ? and query like 'select pg_sleep%'", [`${prefix}-w0`])).rows as unknown[];
        terminated = rows.length;
        if (terminated === 0) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const run = await waitForRun(store, runId, { pollMs: 50, timeoutMs: 20_000 }).catch((e: Error) => {
        throw new Error(`${e.message}\n${workers[0]!.output()}`);
      });
      expect(run.state).toBe('success');
      const ti = (await store.getTaskInstance({ runId, taskId: 'write', mapIndex: 0 }))!;
      expect(ti.tryNumber).toBe(2);
      expect((await store.readLogs(runId, 'write', { mapIndex: 0, tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: .*terminat/i);
      await assertRows(runId);
    }
  });

  it('Redis connections of the workers killed during a run: the run completes', async () => {
    await startWorkers(2);
    const admin = new Redis(services.redisUrl, { maxRetriesPerRequest: 3 });
    try {
      for (let i = 0; i < REPEAT; i++) {
        const runId = await trigger(`2026-04-${String(i + 1).padStart(2, '0')}`, { crash: 'redis' });
        await waitForMark(runId, 'ready');
        const pids = new Set(workers.map((w) => String(w.pid)));
        const list = (await admin.client('LIST')) as string;
        const ours = list.split('\n').filter((line) => line.includes(`name=${prefix}`));
        expect(ours.length).toBeGreaterThan(0);
        for (const line of ours) {
          const id = /\bid=(\d+)/.exec(line)?.[1];
          if (id) await admin.client('KILL', 'ID', id).catch(() => undefined);
        }
        expect(pids.size).toBe(2);
        await test.db.knex('public.fixture_marks').insert({ run_id: runId, event: 'go' });
        const run = await waitForRun(store, runId, { pollMs: 50, timeoutMs: 60_000 });
        expect(run.state).toBe('success');
        await assertRows(runId);
      }
    } finally {
      admin.disconnect();
    }
  });
});

