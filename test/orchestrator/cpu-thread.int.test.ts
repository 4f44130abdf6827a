/** `cpu: true` tasks run in a worker thread: BullMQ locks survive long computations, timeouts stop them. */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { compileConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { BullmqExecutor, cpuThreadExecutor, createOrClearRun, loadDagRegistry, PgRunStore, resolveInterval, startRun, startWorker, waitForRun, type RunningWorker } from '../../src/orchestrator';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgresAndRedis, services } from '../helpers/services';
import { dropPrefix } from './redis-keys';

describeIfPostgresAndRedis('cpu tasks in worker threads (BullMQ executor)', () => {
  let test: TestDatabase;
  let worker: RunningWorker;
  let executor: BullmqExecutor;
  const prefix = `relance-cpu-${randomBytes(4).toString('hex')}`;
  const registry = loadDagRegistry(path.resolve(__dirname, '../fixtures/dags'));
  const dag = registry.get('fixture_cpu');

  beforeAll(async () => {
    test = await freshPostgres();
    const store = new PgRunStore(test.db);
    const config = compileConfig({ database: { url: test.url } });
    worker = await startWorker({
      registry, resources: { db: test.db }, store, redis: { url: services.redisUrl, prefix }, lockDurationMs: 1000, stalledIntervalMs: 300,
      executeCpuTask: cpuThreadExecutor(registry.files, { resourcesModule: path.join(__dirname, 'processes/fixture-resources.ts'), config }),
    });
    executor = new BullmqExecutor({ url: services.redisUrl, prefix });
  });
  afterAll(async () => {
    await worker.close();
    await executor.close();
    await dropPrefix(prefix);
    await test.close();
  });

  async function runWith(date: string, conf: Record<string, unknown>) {
    const store = new PgRunStore(test.db);
    const run = await createOrClearRun(dag, store, resolveInterval(dag, { date }, systemClock), { conf });
    await startRun(dag, run.runId, { store, resources: {}, clock: systemClock, log: silentLogger }, (ti, t) => executor.enqueue({ ...ti, dagId: dag.id }, t));
    return { store, run: await waitForRun(store, run.runId, { pollMs: 20, timeoutMs: 60_000 }) };
  }

  it('a 3-second synchronous computation keeps its lock: one try, in another thread, logs stored', async () => {
    const { store, run } = await runWith('2026-05-01', { busyMs: 3000 });
    expect(run.state).toBe('success');
    const ti = (await store.getTaskInstance({ runId: run.runId, taskId: 'crunch', mapIndex: -1 }))!;
    expect(ti).toMatchObject({ state: 'success', tryNumber: 1 });
    const [result] = await store.getResults(run.runId, 'crunch');
    expect((result!.value as { threadId: number }).threadId).toBeGreaterThan(0);
    expect((await store.readLogs(run.runId, 'crunch')).map((l) => l.line).join('\n')).toMatch(/crunching in thread [1-9]/);
  });

  it('a computation past its timeout is stopped (thread terminated) and retried', async () => {
    const { store, run } = await runWith('2026-05-02', { spin: true });
    expect(run.state).toBe('success');
    const ti = (await store.getTaskInstance({ runId: run.runId, taskId: 'spin', mapIndex: -1 }))!;
    expect(ti.tryNumber).toBe(2);
    expect((await store.readLogs(run.runId, 'spin', { tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: TaskTimeoutError/);
    expect(await store.getResults(run.runId, 'spin')).toEqual([{ mapIndex: -1, value: expect.objectContaining({ tryNumber: 2 }) }]);
  });

  it('the error classifier decides inside the thread: a constraint violation is not retried, a deadlock is', async () => {
    for (const [date, code, tries] of [['2026-05-03', '23505', 1], ['2026-05-04', '40P01', 2]] as const) {
      const { store, run } = await runWith(date, { failWith: code });
      expect(run.state).toBe('failed');
      expect(await store.getTaskInstance({ runId: run.runId, taskId: 'crunch', mapIndex: -1 })).toMatchObject({ state: 'failed', tryNumber: tries });
    }
  });
});
