/**
 * `cpu: true` tasks run by the inline executor (`relance dags run`, the scheduler without Redis)
 * on Postgres go to a worker thread too: the process's event loop keeps renewing the try's lease
 * and serving the database pool while the task computes. On an embedded database (no executor
 * given) they stay on the event loop.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileConfig } from '../../src/config';
import { silentLogger } from '../../src/core/log';
import { cpuThreadExecutor, loadDagRegistry, PgRunStore, runDag, type CpuTaskExecutor } from '../../src/orchestrator';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';

/** Runs `fn` while measuring the longest gap between 50 ms timer ticks (the event loop's worst lag). */
async function worstLag<T>(fn: () => Promise<T>): Promise<{ value: T; lagMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 50);
  try {
    const value = await fn();
    return { value, lagMs: worst };
  } finally {
    clearInterval(timer);
  }
}

describeIfPostgres('cpu tasks in worker threads (inline executor)', () => {
  let test: TestDatabase;
  const registry = loadDagRegistry(path.resolve(__dirname, '../fixtures/dags'));
  const dag = registry.get('fixture_cpu');

  beforeAll(async () => {
    test = await freshPostgres();
  });
  afterAll(async () => test?.close());

  async function run(date: string, executeCpuTask?: CpuTaskExecutor) {
    const store = new PgRunStore(test.db);
    const { value, lagMs } = await worstLag(() =>
      runDag(dag, { date, conf: { busyMs: 2500 }, resources: { db: test.db }, store, log: silentLogger, ...(executeCpuTask ? { executeCpuTask } : {}) }),
    );
    const [result] = await store.getResults(value.run.runId, 'crunch');
    return { report: value, lagMs, threadId: (result?.value as { threadId: number } | undefined)?.threadId };
  }

  it('a 2.5-second computation runs in another thread: the event loop never waits more than a fraction of it', async () => {
    const config = compileConfig({ database: { url: test.url } });
    const executeCpuTask = cpuThreadExecutor(registry.files, { resourcesModule: path.join(__dirname, 'processes/fixture-resources.ts'), config }) as CpuTaskExecutor;
    const { report, lagMs, threadId } = await run('2026-06-01', executeCpuTask);
    expect(report.run.state).toBe('success');
    expect(report.instances.find((i) => i.taskId === 'crunch')).toMatchObject({ state: 'success', tryNumber: 1 });
    expect(threadId).toBeGreaterThan(0);
    expect(lagMs).toBeLessThan(1000);
  });

  it('without a thread executor (embedded database) the same task runs on the event loop, which waits for it', async () => {
    const { report, lagMs, threadId } = await run('2026-06-02');
    expect(report.run.state).toBe('success');
    expect(threadId).toBe(0);
    expect(lagMs).toBeGreaterThan(2000);
  });
});
