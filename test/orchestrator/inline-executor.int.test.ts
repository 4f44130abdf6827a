import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag } from '../../src/dag';
import { engines, freshPglite } from '../helpers/db';
import { createOrClearRun, driveRunInline, InlineExecutor, PgRunStore, resolveInterval } from '../../src/orchestrator';
import { behaviourSuite, createSuiteTable, type Harness, type SuiteResources } from './behaviour-suite';

describe.each(engines)('inline executor on $name', ({ open }) => {
  behaviourSuite(async (): Promise<Harness> => {
    const test = await open();
    await createSuiteTable(test.db);
    const store = new PgRunStore(test.db);
    const clock = new FixedClock('2026-03-12T00:00:00Z');
    const resources: SuiteResources = { db: test.db, events: [], tries: new Map(), close: async () => undefined };
    let executor: InlineExecutor | undefined;
    return {
      store,
      resources,
      env: { store, resources, clock, log: silentLogger, leaseMs: 1000 },
      async prepare(_dag, pools) {
        await executor?.idle();
        executor = new InlineExecutor({ pools, sleep: async (ms) => clock.advance(ms) });
        return executor;
      },
      async finish(runId) {
        await executor?.idle();
        return (await store.getRun(runId))!;
      },
      async close() {
        await executor?.stop();
        await test.close();
      },
    };
  });
});

describe('inline executor resuming a run whose process died', () => {
  it('records the running try as lost and retries it', async () => {
    const test = await freshPglite();
    try {
      const store = new PgRunStore(test.db);
      const clock = new FixedClock('2026-03-12T00:00:00Z');
      const dag = defineDag<object>({ id: 'resumed', schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-01-01', defaults: { retries: 1, retryDelayMs: 10 } }, (d) => {
        d.chain(d.task('a', (ctx) => ctx.tryNumber), d.task('b', () => 'b'));
      });
      const run = await createOrClearRun(dag, store, resolveInterval(dag, { date: '2026-03-10' }, clock), {});
      const a = { runId: run.runId, taskId: 'a', mapIndex: -1 };
      await store.transition(a, ['scheduled'], 'queued', { tryNumber: 1, queuedAt: clock.now() });
      await store.claimTry(a, 1, { hostname: 'gone', pid: 1, at: clock.now(), leaseMs: 0, timeoutMs: 60_000 });
      await driveRunInline(dag, run.runId, { store, resources: {}, clock, log: silentLogger }, { sleep: async (ms) => clock.advance(ms) });
      expect((await store.getRun(run.runId))!.state).toBe('success');
      expect(await store.getTaskInstance(a)).toMatchObject({ state: 'success', tryNumber: 2 });
      expect((await store.readLogs(run.runId, 'a', { tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: TryLostError: worker gone:1 stopped during try 1 \(lease expired\)/);
    } finally {
      await test.close();
    }
  });
});
