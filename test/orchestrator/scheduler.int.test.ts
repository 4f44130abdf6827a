import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag, type DagOptions } from '../../src/dag';
import { advanceRun, InlineExecutor, PgRunStore, registryOf, Scheduler, startRun, type Executor, type SchedulerOptions } from '../../src/orchestrator';
import { engines, type TestDatabase } from '../helpers/db';

let dagCounter = 0;
const nightly = (extra: Partial<DagOptions> = {}) =>
  defineDag<{ seen: string[] }>({ id: `nightly${++dagCounter}`, schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-03-27', catchup: true, maxActiveRuns: 5, ...extra }, (d) => {
    d.task('work', (ctx) => {
      ctx.resources.seen.push(ctx.ds);
      return ctx.ds;
    });
  });

describe.each(engines)('scheduler on $name (inline executor)', ({ open }) => {
  let test: TestDatabase;
  let store: PgRunStore;
  const clock = new FixedClock('2026-03-31T12:00:00Z');
  const seen: string[] = [];
  const scheduler = (dag = nightly(), extra: Partial<SchedulerOptions<{ seen: string[] }>> = {}) =>
    new Scheduler({ registry: registryOf([dag]), resources: { seen }, store, executor: new InlineExecutor(), clock, log: silentLogger, ...extra });

  // One database for the file (each test has its own DAG id): cloning a database per test costs seconds on PGlite.
  beforeAll(async () => {
    test = await open();
    store = new PgRunStore(test.db);
  });
  afterAll(() => test.close());
  beforeEach(() => {
    clock.set('2026-03-31T12:00:00Z');
    seen.length = 0;
  });

  it('catches up one run per night across the spring-forward night, and runs them', async () => {
    const dag = nightly();
    const s = scheduler(dag);
    const report = await s.tick();
    await s.idle();
    expect(report.created).toEqual([
      `${dag.id}@2026-03-27T01:00:00Z`, `${dag.id}@2026-03-28T01:00:00Z`, `${dag.id}@2026-03-29T01:00:00Z`, `${dag.id}@2026-03-30T00:00:00Z`,
    ]);
    expect([...seen].sort()).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30']);
    const runs = await store.listRuns({ dagId: dag.id });
    expect(runs.map((r) => r.state)).toEqual(['success', 'success', 'success', 'success']);
    expect(runs.every((r) => r.runType === 'scheduled')).toBe(true);
    expect((await s.tick()).created).toEqual([]);
  });

  it('creates one run per night across the fall-back night, ticking every 30 minutes', async () => {
    clock.set('2026-10-24T12:00:00Z');
    const dag = nightly({ startDate: '2026-10-23', catchup: false });
    const s = scheduler(dag);
    const created: string[] = [];
    for (let t = 0; t < 2 * 24 * 3; t++) {
      created.push(...(await s.tick()).created);
      clock.advance(30 * 60_000);
    }
    await s.idle();
    // 25 Oct 02:00 CEST is 00:00Z, 26 Oct 02:00 CET is 01:00Z: one run per night, none doubled.
    expect(created.map((id) => id.split('@')[1])).toEqual(['2026-10-23T00:00:00Z', '2026-10-24T00:00:00Z', '2026-10-25T00:00:00Z', '2026-10-26T01:00:00Z']);
  });

  it('without catchup creates only the latest interval, then one per new night', async () => {
    const dag = nightly({ catchup: false });
    const s = scheduler(dag);
    expect((await s.tick()).created).toEqual([`${dag.id}@2026-03-30T00:00:00Z`]);
    clock.set('2026-03-31T23:59:00Z');
    expect((await s.tick()).created).toEqual([]);
    clock.set('2026-04-01T00:30:00Z');
    expect((await s.tick()).created).toEqual([`${dag.id}@2026-03-31T00:00:00Z`]);
    await s.idle();
  });

  it('starts no more runs than maxActiveRuns at once', async () => {
    const dag = nightly({ maxActiveRuns: 1 });
    const s = scheduler(dag);
    const first = await s.tick();
    expect(first.created).toHaveLength(4);
    expect(first.started).toEqual([`${dag.id}@2026-03-27T01:00:00Z`]);
    await s.idle();
    expect((await s.tick()).started).toEqual([`${dag.id}@2026-03-28T01:00:00Z`]);
    await s.idle();
  });

  it('creates nothing for a paused DAG', async () => {
    const dag = nightly();
    await store.setPaused(dag.id, true);
    expect((await scheduler(dag).tick()).created).toEqual([]);
    await store.setPaused(dag.id, false);
    const s = scheduler(dag);
    expect((await s.tick()).created).toHaveLength(4);
    await s.idle();
  });

  it('raises one alert for a run that missed its deadline, with the webhook', async () => {
    const dag = defineDag<{ seen: string[] }>({ id: 'late', schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-03-30', deadline: '07:30' }, (d) => {
      d.task('never', { retries: 5, retryDelayMs: 3_600_000, maxRetryDelayMs: 3_600_000 }, () => {
        throw new Error('source down');
      });
    });
    clock.set('2026-03-31T01:00:00Z');
    const posts: unknown[] = [];
    const queued: string[] = [];
    const s = scheduler(dag, {
      executor: recordingQueue(queued),
      alerts: { webhookUrl: 'http://alerts.invalid/hook', post: async (_url, body) => void posts.push(body) },
    });
    expect((await s.tick()).created).toEqual(['late@2026-03-30T00:00:00Z']);
    clock.set('2026-03-31T05:29:00Z');
    expect((await s.tick()).alerts).toBe(0);
    clock.set('2026-03-31T05:31:00Z');
    expect((await s.tick()).alerts).toBe(1);
    expect((await s.tick()).alerts).toBe(0);
    expect(posts).toEqual([expect.objectContaining({ kind: 'deadline_missed', dagId: 'late', runId: 'late@2026-03-30T00:00:00Z', deadline: '2026-03-31T05:30:00.000Z' })]);
    expect((await store.listAlerts({ dagId: 'late' })).map((a) => a.kind)).toEqual(['deadline_missed']);
    // The sweep queues the stale try again; its job id makes that a no-op in BullMQ.
    expect(new Set(queued)).toEqual(new Set(['never#1']));
    await s.stop();
  });
});

/** A queue executor that records the tries it is handed and runs none; recover hands every queued try again. */
function recordingQueue(queued: string[]): Executor {
  const record = async (ti: { taskId: string }, tryNumber: number): Promise<void> => void queued.push(`${ti.taskId}#${tryNumber}`);
  return {
    name: 'recording',
    start: (dag, runId, env) => startRun(dag, runId, env, record),
    async recover(dag, runId, env) {
      await advanceRun(dag, runId, env, record);
      const again = (await env.store.listTaskInstances(runId)).filter((ti) => ti.state === 'queued');
      for (const ti of again) await record(ti, ti.tryNumber);
      return again.length;
    },
    retry: (_dag, ti, tryNumber) => record(ti, tryNumber),
    idle: async () => undefined,
    stop: async () => undefined,
  };
}
