/**
 * Trigger and clear from the API on the real orchestrator: run store in the database, a three-task
 * DAG whose middle task fails once, runs driven inline as `relance serve` does without Redis.
 */
import { defineDag } from '../../src/dag';
import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { PgRunStore, driveRunInline, registryOf, waitForRun } from '../../src/orchestrator';
import { orchestratorControl, withDownstream } from '../../src/api/orchestrator-control';
import { engines, type TestDatabase } from '../helpers/db';

describe.each(engines)('orchestrator control on $name', ({ open }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => database?.close());

  test('trigger records a manual run and drives it; clear re-runs a failed task and its downstream', async () => {
    let failures = 1;
    const ran: string[] = [];
    const dag = defineDag<null>({ id: 'tiny', schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-01-01', catchup: false, defaults: { retries: 0 } }, (d) => {
      const a = d.task('a', () => void ran.push('a'));
      const b = d.task('b', () => {
        ran.push('b');
        if (failures-- > 0) throw new Error('flaky');
      });
      const c = d.task('c', () => void ran.push('c'));
      d.chain(a, b, c);
    });
    const registry = registryOf([dag]);
    const store = new PgRunStore(database.db);
    const clock = new FixedClock('2026-11-24T08:00:00Z');
    const driven: Promise<void>[] = [];
    const control = orchestratorControl({
      registry,
      store,
      log: silentLogger,
      clock,
      drive: (g, runId) => {
        const p = driveRunInline(g, runId, { store, resources: null, clock, log: silentLogger }, { sleep: async () => undefined });
        driven.push(p);
        return p;
      },
    });

    expect(control.dagIds()).toEqual(['tiny']);
    const run = await control.trigger('tiny', { requestedBy: 'it-person' });
    await Promise.all(driven);
    const failed = await waitForRun(store, run.runId, { timeoutMs: 10_000 });
    expect(failed.state).toBe('failed');
    expect(failed.conf).toMatchObject({ requestedBy: 'it-person' });
    expect(ran).toEqual(['a', 'b']);
    await expect(control.trigger('tiny', { requestedBy: 'it-person' })).rejects.toThrow(/already has run/);

    expect(withDownstream(dag, ['b'])).toEqual(['b', 'c']);
    const cleared = await control.clear(run.runId, { requestedBy: 'it-person' });
    expect(cleared).toBe(2);
    await Promise.all(driven);
    const done = await waitForRun(store, run.runId, { timeoutMs: 10_000 });
    expect(done.state).toBe('success');
    expect(ran).toEqual(['a', 'b', 'b', 'c']);
    expect(await control.clear('no-such-run', { requestedBy: 'it-person' })).toBe(0);
  });

  test('clear refuses a running task and leaves its try alone', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ran: string[] = [];
    const dag = defineDag<null>({ id: 'gated', schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-01-01', catchup: false }, (d) => {
      d.chain(d.task('wait', async (ctx) => {
        ran.push(`wait#${ctx.tryNumber}`);
        await gate;
      }), d.task('after', () => void ran.push('after')));
    });
    const store = new PgRunStore(database.db);
    const clock = new FixedClock('2026-11-24T08:00:00Z');
    const driven: Promise<void>[] = [];
    const control = orchestratorControl({
      registry: registryOf([dag]), store, log: silentLogger, clock,
      drive: (g, runId) => {
        const p = driveRunInline(g, runId, { store, resources: null, clock, log: silentLogger });
        driven.push(p);
        return p;
      },
    });
    const { runId } = await control.trigger('gated', { requestedBy: 'it-person' });
    while ((await store.getTaskInstance({ runId, taskId: 'wait', mapIndex: -1 }))?.state !== 'running') await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(control.clear(runId, { taskIds: ['wait'], requestedBy: 'it-person' })).rejects.toThrow(/wait \(try 1 on .*\) of run gated@.* is running/);
    release();
    await Promise.all(driven);
    expect((await waitForRun(store, runId, { timeoutMs: 10_000 })).state).toBe('success');
    expect(ran).toEqual(['wait#1', 'after']);
  });
});
