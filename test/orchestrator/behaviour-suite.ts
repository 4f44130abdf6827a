/**
 * The behavioural suite every executor passes: the same DAGs, the same assertions on the stored
 * state. Each executor's test file supplies a harness that runs a DAG for a date to its end.
 */
import { defineDag, type Dag, type DagOptions, type TaskContext } from '../../src/dag';
import { QualityCheckError } from '../../src/core/errors';
import type { Database } from '../../src/db';
import { ConflictError } from '../../src/core/errors';
import { createOrClearRun, registryOf, resolveInterval, Scheduler, type DagRunRecord, type Executor, type RunStore, type TaskEnvironment, type TaskInstanceRecord } from '../../src/orchestrator';

/** What the test DAGs receive as resources. */
export interface SuiteResources {
  db: Database;
  /** Shared by the tasks of one test (in-process executors only). */
  events: string[];
  /** Counters of tries per task, to fail the first ones. */
  tries: Map<string, number>;
  close(): Promise<void>;
}

/** What a run is started with. */
export interface StartOptions {
  date: string;
  rerun?: boolean;
  conf?: Record<string, unknown>;
  pools?: Record<string, number>;
}

/**
 * One executor under test, behind the orchestrator's {@link Executor} port: the suite starts runs
 * with `executor.start` and drives sweeps with a {@link Scheduler} on the same executor.
 */
export interface Harness {
  store: RunStore;
  resources: SuiteResources;
  /** What the executor's runs get (the store, the resources, a clock, a short lease). */
  env: TaskEnvironment<SuiteResources>;
  /** The executor, ready to run the tasks of `dag` (with these pool sizes). */
  prepare(dag: Dag<SuiteResources>, pools?: Record<string, number>): Promise<Executor>;
  /** Waits until a started run has ended. */
  finish(runId: string): Promise<DagRunRecord>;
  close(): Promise<void>;
}

const opts = (id: string, extra: Partial<DagOptions> = {}): DagOptions => ({ id, schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-01-01', defaults: { retryDelayMs: 5, maxRetryDelayMs: 20 }, ...extra });
const state = (instances: TaskInstanceRecord[]): Record<string, string> => Object.fromEntries(instances.map((i) => [i.mapIndex < 0 ? i.taskId : `${i.taskId}[${i.mapIndex}]`, `${i.state}#${i.tryNumber}`]));
const bump = (ctx: TaskContext<SuiteResources>): number => {
  const key = `${ctx.taskId}:${ctx.mapIndex ?? -1}`;
  const n = (ctx.resources.tries.get(key) ?? 0) + 1;
  ctx.resources.tries.set(key, n);
  return n;
};

/** Declares the suite's tests; `open` builds a fresh harness per test. */
export function behaviourSuite(open: () => Promise<Harness>): void {
  let h: Harness & { run(dag: Dag<SuiteResources>, options: StartOptions): Promise<{ run: DagRunRecord; instances: TaskInstanceRecord[] }> };
  /** Records the run of a date (or clears it with `rerun`) and starts it on the executor. */
  const start = async (dag: Dag<SuiteResources>, options: StartOptions, prepared?: Executor): Promise<{ runId: string; executor: Executor }> => {
    const executor = prepared ?? (await h.prepare(dag, options.pools));
    const run = await createOrClearRun(dag, h.store, resolveInterval(dag, options, h.env.clock), options);
    await executor.start(dag, run.runId, h.env);
    return { runId: run.runId, executor };
  };
  /** A scheduler on the executor that only sweeps (the DAG is paused: it creates no run). */
  const sweeper = async (dag: Dag<SuiteResources>, executor: Executor): Promise<Scheduler<SuiteResources>> => {
    await h.store.setPaused(dag.id, true);
    return new Scheduler({ registry: registryOf([dag]), resources: h.resources, store: h.store, executor, clock: h.env.clock, leaseMs: h.env.leaseMs });
  };
  /** Sweeps (as the scheduler does every few seconds) until the run has ended. */
  const sweepUntilEnded = async (scheduler: Scheduler<SuiteResources>, runId: string): Promise<DagRunRecord> => {
    const limit = Date.now() + 30_000;
    for (;;) {
      await scheduler.tick();
      const run = (await h.store.getRun(runId))!;
      if (run.state === 'success' || run.state === 'failed') return run;
      if (Date.now() > limit) throw new Error(`run ${runId} still ${run.state}: ${JSON.stringify(state(await h.store.listTaskInstances(runId)))}`);
      await pause(100);
    }
  };
  /** A run recorded and running, with try 1 of its first task claimed by a process that stopped. */
  const orphanedTry = async (dag: Dag<SuiteResources>, by: { hostname: string; pid: number; leaseMs: number; timeoutMs: number }) => {
    const executor = await h.prepare(dag);
    const run = await createOrClearRun(dag, h.store, resolveInterval(dag, { date: '2026-03-10' }, h.env.clock), {});
    await h.store.setRunState(run.runId, ['queued'], 'running', h.env.clock.now());
    await h.store.queueTries(run.runId, [{ taskId: dag.order[0]!, mapIndex: -1, fromTry: 0 }], h.env.clock.now());
    const key = { runId: run.runId, taskId: dag.order[0]!, mapIndex: -1 };
    expect(await h.store.claimTry(key, 1, { ...by, at: h.env.clock.now() })).toBeDefined();
    return { runId: run.runId, key, scheduler: await sweeper(dag, executor) };
  };
  beforeEach(async () => {
    const harness = await open();
    h = Object.assign(harness, {
      async run(dag: Dag<SuiteResources>, options: StartOptions) {
        const run = await harness.finish((await start(dag, options)).runId);
        return { run, instances: await harness.store.listTaskInstances(run.runId) };
      },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('runs tasks in order, maps over a run-time list, passes small results downstream', async () => {
    const dag = defineDag<SuiteResources>(opts('pipeline'), (d) => {
      const sources = d.task('sources', (ctx) => ({ names: ['a', 'b', 'c'], ds: ctx.ds }));
      const extract = d.mappedTask('extract', { over: async (ctx) => ((await ctx.upstream('sources')) as { names: string[] }).names, pool: 'io' }, async (ctx, name) => {
        await ctx.resources.db.knex.raw('insert into public.suite_rows (run_id, source) values (?, ?) on conflict do nothing', [ctx.runId, name]);
        ctx.log.info(`extracted ${String(name)} call me at 06 12 34 56 78`);
        return { source: name, rows: (name as string).length * 10 };
      });
      const total = d.task('total', async (ctx) => {
        const parts = (await ctx.upstream('extract')) as { source: string; rows: number }[];
        return { sum: parts.reduce((s, p) => s + p.rows, 0), order: parts.map((p) => p.source), conf: (ctx.conf.who as string | undefined) ?? null };
      });
      d.chain(sources, extract, total);
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10', conf: { who: 'it' } });
    expect(run.state).toBe('success');
    expect(run.logicalDate.toISOString()).toBe('2026-03-10T01:00:00.000Z');
    expect(state(instances)).toEqual({ sources: 'success#1', 'extract[0]': 'success#1', 'extract[1]': 'success#1', 'extract[2]': 'success#1', total: 'success#1' });
    expect(await h.store.getResults(run.runId, 'total')).toEqual([{ mapIndex: -1, value: { sum: 30, order: ['a', 'b', 'c'], conf: 'it' } }]);
    expect((await h.store.getResults(run.runId, 'sources'))[0]!.value).toMatchObject({ ds: '2026-03-10' });
    const logs = await h.store.readLogs(run.runId, 'extract', { mapIndex: 1 });
    expect(logs.map((l) => l.line).join('\n')).toMatch(/extracted b call me at \[phone\]/);
    const rows = await h.resources.db.knex('public.suite_rows').where({ run_id: run.runId }).orderBy('source');
    expect(rows.map((r: { source: string }) => r.source)).toEqual(['a', 'b', 'c']);
    for (const ti of instances) {
      expect(ti.startedAt!.getTime()).toBeLessThanOrEqual(ti.endedAt!.getTime());
      expect(ti.pid).toEqual(expect.any(Number));
    }
  });

  it('retries a failing task with its policy and succeeds on the third try', async () => {
    const dag = defineDag<SuiteResources>(opts('flaky'), (d) => {
      d.task('flaky', { retries: 2 }, (ctx) => {
        if (bump(ctx) < 3) throw new Error(`transient ${ctx.tryNumber}`);
        return { try: ctx.tryNumber };
      });
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10' });
    expect(run.state).toBe('success');
    expect(state(instances)).toEqual({ flaky: 'success#3' });
    const logs = await h.store.readLogs(run.runId, 'flaky');
    expect(logs.filter((l) => /failed: Error: transient/.test(l.line)).map((l) => l.tryNumber)).toEqual([1, 2]);
  });

  it('fails without retrying when the error says a retry is useless', async () => {
    const dag = defineDag<SuiteResources>(opts('checks'), (d) => {
      d.task('check', { retries: 3 }, () => {
        throw new QualityCheckError('too many quarantined rows');
      });
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10' });
    expect(run.state).toBe('failed');
    expect(instances[0]).toMatchObject({ state: 'failed', tryNumber: 1, error: 'QualityCheckError: too many quarantined rows' });
  });

  it('applies trigger rules: upstream_failed, one_failed, all_done, none_failed', async () => {
    const dag = defineDag<SuiteResources>(opts('rules'), (d) => {
      const ok = d.task('ok', () => 'fine');
      const bad = d.task('bad', () => {
        throw new QualityCheckError('no');
      });
      const after = d.task('after_success', noopTask);
      const alert = d.task('alert', { triggerRule: 'one_failed' }, noopTask);
      const cleanup = d.task('cleanup', { triggerRule: 'all_done' }, noopTask);
      const tolerant = d.task('tolerant', { triggerRule: 'none_failed' }, noopTask);
      const notify = d.task('notify_ok', { triggerRule: 'one_failed' }, noopTask);
      d.chain([ok, bad], after);
      d.chain([ok, bad], alert);
      d.chain([ok, bad], cleanup);
      d.chain(after, tolerant);
      d.chain(ok, notify);
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10' });
    expect(run.state).toBe('failed');
    expect(state(instances)).toEqual({
      ok: 'success#1', bad: 'failed#1', after_success: 'upstream_failed#0', alert: 'success#1', cleanup: 'success#1', tolerant: 'upstream_failed#0', notify_ok: 'skipped#0',
    });
  });

  it('fails a try that exceeds its timeout (its signal aborts) and retries it', async () => {
    const dag = defineDag<SuiteResources>(opts('slow'), (d) => {
      d.task('slow', { retries: 1, timeoutMs: 200 }, async (ctx) => {
        if (bump(ctx) === 1) {
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          ctx.resources.events.push(`aborted ${String(ctx.signal.reason?.name)}`);
          return 'too late';
        }
        return 'fast';
      });
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10' });
    expect(run.state).toBe('success');
    expect(state(instances)).toEqual({ slow: 'success#2' });
    expect(h.resources.events).toContain('aborted TaskTimeoutError');
    expect(await h.store.getResults(run.runId, 'slow')).toEqual([{ mapIndex: -1, value: 'fast' }]);
  });

  it('refuses a second run of the same date, and re-runs it with rerun', async () => {
    const dag = defineDag<SuiteResources>(opts('again'), (d) => {
      d.chain(d.task('a', (ctx) => ctx.tryNumber), d.mappedTask('m', { over: () => [1, 2] }, (ctx, x) => (x as number) * ctx.tryNumber));
    });
    const first = await h.run(dag, { date: '2026-03-10' });
    await expect(h.run(dag, { date: '2026-03-10' })).rejects.toThrow(/already has run again@2026-03-10T01:00:00Z \(success\)/);
    const second = await h.run(dag, { date: '2026-03-10', rerun: true });
    expect(second.run.runId).toBe(first.run.runId);
    expect(second.run.state).toBe('success');
    expect(state(second.instances)).toEqual({ a: 'success#2', 'm[0]': 'success#2', 'm[1]': 'success#2' });
    expect((await h.store.getResults(second.run.runId, 'm')).map((r) => r.value)).toEqual([2, 4]);
    expect(await h.store.listRuns({ dagId: 'again' })).toHaveLength(1);
  });

  it('skips a mapped task over an empty list, and what depends on it', async () => {
    const dag = defineDag<SuiteResources>(opts('empty'), (d) => {
      d.chain(d.mappedTask('m', { over: () => [] }, noopTask), d.task('after', noopTask));
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10' });
    expect(run.state).toBe('success');
    expect(state(instances)).toEqual({ m: 'skipped#0', after: 'skipped#0' });
  });

  it('fails a task whose result is too large for a small result', async () => {
    const dag = defineDag<SuiteResources>(opts('big'), (d) => {
      d.task('big', { retries: 2 }, () => 'x'.repeat(70_000));
    });
    const { run, instances } = await h.run(dag, { date: '2026-03-10' });
    expect(run.state).toBe('failed');
    expect(instances[0]!.error).toMatch(/limited to 65536/);
    expect(instances[0]!.tryNumber).toBe(1);
  });

  it('never runs more tasks of a pool at once than its size', async () => {
    let running = 0;
    let peak = 0;
    const dag = defineDag<SuiteResources>(opts('pooled'), (d) => {
      d.mappedTask('m', { over: () => [1, 2, 3, 4, 5, 6], pool: 'narrow' }, async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      });
    });
    const { run } = await h.run(dag, { date: '2026-03-10', pools: { narrow: 2 } });
    expect(run.state).toBe('success');
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThanOrEqual(1);
  });

  it('leaves a try to its process while the lease lives, then takes it back (the sweep) and retries it', async () => {
    const dag = defineDag<SuiteResources>(opts('orphan'), (d) => {
      d.chain(d.task('a', { retries: 1 }, (ctx) => ctx.tryNumber), d.task('b', () => 'b'));
    });
    // Its process died with the job (Redis restarted empty): only the lease can tell.
    const { runId, key, scheduler } = await orphanedTry(dag, { hostname: 'gone', pid: 1, leaseMs: 2000, timeoutMs: 60_000 });
    expect((await scheduler.tick()).expired).toBe(0);
    expect(await h.store.getTaskInstance(key)).toMatchObject({ state: 'running', tryNumber: 1, hostname: 'gone' });
    const done = await sweepUntilEnded(scheduler, runId);
    expect(done.state).toBe('success');
    expect(state(await h.store.listTaskInstances(runId))).toEqual({ a: 'success#2', b: 'success#1' });
    expect(await h.store.getResults(runId, 'a')).toEqual([{ mapIndex: -1, value: 2 }]);
    expect((await h.store.readLogs(runId, 'a', { tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: TryLostError: worker gone:1 stopped during try 1 \(lease expired\)/);
  });

  it('fails the run when the try whose lease expired has no retry left', async () => {
    const dag = defineDag<SuiteResources>(opts('orphan_once'), (d) => {
      d.chain(d.task('a', { retries: 0 }, noopTask), d.task('b', noopTask));
    });
    const { runId, scheduler } = await orphanedTry(dag, { hostname: 'gone', pid: 3, leaseMs: 300, timeoutMs: 60_000 });
    const done = await sweepUntilEnded(scheduler, runId);
    expect(done.state).toBe('failed');
    expect(state(await h.store.listTaskInstances(runId))).toEqual({ a: 'failed#1', b: 'upstream_failed#0' });
    expect((await h.store.getTaskInstance({ runId, taskId: 'a', mapIndex: -1 }))!.error).toBe('TryLostError: worker gone:3 stopped during try 1 (lease expired)');
  });

  it('fails a try past its timeout even while its process renews the lease, and retries it', async () => {
    const dag = defineDag<SuiteResources>(opts('hung'), (d) => {
      d.task('a', { retries: 1, timeoutMs: 300 }, (ctx) => ctx.tryNumber);
    });
    // A hung process: its lease is renewed, its own timeout never fires.
    const { runId, key, scheduler } = await orphanedTry(dag, { hostname: 'hung', pid: 2, leaseMs: 1000, timeoutMs: 300 });
    expect(await h.store.renewLease(key, 1, 600_000)).toBe(true);
    const done = await sweepUntilEnded(scheduler, runId);
    expect(done.state).toBe('success');
    expect(state(await h.store.listTaskInstances(runId))).toEqual({ a: 'success#2' });
    expect((await h.store.readLogs(runId, 'a', { tryNumber: 1 })).map((l) => l.line).join('\n')).toMatch(/try 1 failed: TaskTimeoutError: hung\.a exceeded its timeout of 300 ms \(try 1 on hung:2, failed by the scheduler\)/);
  });

  it('never takes back a try this process runs, even when a long computation let its lease lapse', async () => {
    let scheduler: Scheduler<SuiteResources> | undefined;
    const dag = defineDag<SuiteResources>(opts('blocked'), (d) => {
      d.task('compute', { retries: 1 }, async (ctx) => {
        // As after holding the event loop past its renewals: the lease has lapsed in Postgres.
        const { knex } = ctx.resources.db;
        await knex('orchestrator.task_instances').where({ run_id: ctx.runId, task_id: 'compute' }).update({ lease_expires_at: knex.raw("now() - interval '1 second'") });
        ctx.resources.events.push(`swept ${(await scheduler!.tick()).expired}`);
        return ctx.tryNumber;
      });
    });
    const executor = await h.prepare(dag);
    scheduler = await sweeper(dag, executor);
    const { runId } = await start(dag, { date: '2026-03-10' }, executor);
    expect((await h.finish(runId)).state).toBe('success');
    expect(h.resources.events).toEqual(['swept 0']);
    expect(state(await h.store.listTaskInstances(runId))).toEqual({ compute: 'success#1' });
  });

  it('stops a try whose lease was taken back (its signal aborts) and never records it over', async () => {
    const dag = defineDag<SuiteResources>(opts('fenced'), (d) => {
      d.task('long', { retries: 0 }, async (ctx) => {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        ctx.resources.events.push(`aborted ${String(ctx.signal.reason?.name)}`);
        return 'too late';
      });
    });
    const { runId, executor } = await start(dag, { date: '2026-03-10' });
    const key = { runId, taskId: 'long', mapIndex: -1 };
    await until(async () => (await h.store.getTaskInstance(key))?.state === 'running');
    // What the sweep does to a try whose lease expired: the store no longer has it running.
    expect(await h.store.transition(key, ['running'], 'failed', { error: 'taken back', endedAt: h.env.clock.now() }, 1)).toBe(true);
    await until(async () => h.resources.events.length > 0);
    expect(h.resources.events).toEqual(['aborted TryLostError']);
    const done = await sweepUntilEnded(await sweeper(dag, executor), runId);
    expect(done.state).toBe('failed');
    expect(await h.store.getTaskInstance(key)).toMatchObject({ state: 'failed', tryNumber: 1, error: 'taken back' });
    expect(await h.store.getResults(runId, 'long')).toEqual([]);
  });

  it('refuses to clear a running task (never two tries at once), and clears it once it has ended', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    let peak = 0;
    const dag = defineDag<SuiteResources>(opts('busy'), (d) => {
      const long = d.task('long', async (ctx) => {
        bump(ctx);
        peak = Math.max(peak, ++running);
        await gate;
        running--;
        return ctx.tryNumber;
      });
      d.chain(long, d.task('after', noopTask));
      d.task('quick', (ctx) => ctx.tryNumber);
    });
    const { runId } = await start(dag, { date: '2026-03-10' });
    const key = { runId, taskId: 'long', mapIndex: -1 };
    await until(async () => (await h.store.getTaskInstance(key))?.state === 'running' && (await h.store.getTaskInstance({ runId, taskId: 'quick', mapIndex: -1 }))?.state === 'success');
    const refused = h.store.clearTasks(runId, ['long', 'after'], () => 0);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(/long \(try 1 on .*\) of run busy@2026-03-10T01:00:00Z is running/);
    expect(await h.store.getTaskInstance(key)).toMatchObject({ state: 'running', tryNumber: 1 });
    // A finished task of the same run may be cleared: the run keeps running (and its place).
    expect(await h.store.clearTasks(runId, ['quick'], () => 0)).toBe(1);
    expect((await h.store.getRun(runId))!.state).toBe('running');
    release();
    expect((await h.finish(runId)).state).toBe('success');
    expect(state(await h.store.listTaskInstances(runId))).toEqual({ long: 'success#1', after: 'success#1', quick: 'success#2' });

    expect(await h.store.clearTasks(runId, ['long', 'after'], () => 0)).toBe(2);
    expect((await h.store.getRun(runId))!.state).toBe('queued');
    await (await h.prepare(dag)).start(dag, runId, h.env);
    expect((await h.finish(runId)).state).toBe('success');
    expect(state(await h.store.listTaskInstances(runId))).toEqual({ long: 'success#2', after: 'success#2', quick: 'success#2' });
    expect(h.resources.tries.get('long:-1')).toBe(2);
    expect(peak).toBe(1);
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (10 s at most). */
async function until(check: () => Promise<boolean>): Promise<void> {
  const limit = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error('condition not met within 10 s');
    await pause(20);
  }
}

function noopTask(): void {
  return undefined;
}

/** The table the suite's tasks write to (idempotently, keyed by run and source). */
export async function createSuiteTable(db: Database): Promise<void> {
  await db.knex.raw('create table if not exists public.suite_rows (run_id text not null, source text not null, primary key (run_id, source))');
}
