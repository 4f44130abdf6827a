import { systemClock, type Clock } from '../core/clock';
import { ValidationError } from '../core/errors';
import { silentLogger, type Logger } from '../core/log';
import { deadlineFor, intervalForDate, intervalStartingAt, type Dag, type DataInterval, type RunType, type ScheduledDag } from '../dag';
import { advanceRun, initialInstances } from './run-advancer';
import type { RunStore } from './run-store';
import type { DagRunRecord, TaskInstanceRecord } from './states';
import { recordFailure, runTaskTry, TryLostError, type TaskEnvironment } from './task-runner';
import { withDeadlineWatch, type AlertSink } from './alerts';

/** How to run a DAG in-process (see {@link runDag}). */
export interface RunDagOptions<R> {
  /** The logical date (start of the data interval); or use `date`. */
  logicalDate?: Date;
  /** A local calendar date `YYYY-MM-DD` (the run whose logical date falls on it). Default: the latest interval that has ended. */
  date?: string;
  /** @defaultValue {} */
  conf?: Record<string, unknown>;
  /** @defaultValue 'manual' */
  runType?: RunType;
  resources: R;
  store: RunStore;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** Waits between tries; tests pass one that advances a fake clock. @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /**
   * When the (dag, logical date) run exists: false refuses (Airflow refuses a second run of a date);
   * true clears every task of that run and runs it again (like `tasks clear` on all of them).
   * @defaultValue false
   */
  rerun?: boolean;
  /** Concurrency per pool. @defaultValue 4 for every pool */
  pools?: Record<string, number>;
  /** @defaultValue silent */
  log?: Logger;
  /** Where missed deadlines are sent besides the log and `orchestrator.alerts` (checked during and after the run). */
  alerts?: AlertSink;
}

/** The run when it ended, with its task instances. */
export interface RunReport {
  run: DagRunRecord;
  instances: TaskInstanceRecord[];
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Which interval a trigger means. */
export function resolveInterval(dag: ScheduledDag, options: { logicalDate?: Date; date?: string }, clock: Clock): DataInterval {
  if (options.logicalDate) return intervalStartingAt(dag, options.logicalDate);
  if (options.date) return intervalForDate(dag, options.date);
  if (!dag.cron) return { start: clock.now(), end: clock.now() };
  const end = dag.cron.prev(new Date(clock.now().getTime() + 1));
  return { start: dag.cron.prev(end), end };
}

/**
 * Records a run (or reuses it with `rerun`) and returns it; refuses a second run of the same
 * (dag, logical date) otherwise.
 */
export async function createOrClearRun<R>(dag: Dag<R>, store: RunStore, interval: DataInterval, options: { conf?: Record<string, unknown>; runType?: RunType; rerun?: boolean }): Promise<DagRunRecord> {
  const created = await store.createRun(
    { dagId: dag.id, logicalDate: interval.start, dataIntervalStart: interval.start, dataIntervalEnd: interval.end, runType: options.runType ?? 'manual', conf: options.conf ?? {}, deadlineAt: deadlineFor(dag, interval) },
    initialInstances(dag as Dag<unknown>),
  );
  if (created) return created;
  const existing = (await store.findRun(dag.id, interval.start))!;
  if (!options.rerun) {
    throw new ValidationError(`dag ${dag.id} already has run ${existing.runId} (${existing.state}) for this logical date; pass rerun to clear and run it again`, { context: { dagId: dag.id, runId: existing.runId } });
  }
  if (existing.state === 'queued' || existing.state === 'running') {
    throw new ValidationError(`run ${existing.runId} is still ${existing.state}; it cannot be re-run before it ends`, { context: { dagId: dag.id, runId: existing.runId } });
  }
  await store.clearTasks(existing.runId, dag.order, (id) => dag.tasks.get(id)?.options.retries ?? 0);
  return (await store.getRun(existing.runId))!;
}

/**
 * The inline executor: runs a DAG run in this process, in topological order, honouring trigger
 * rules, pools, retries with backoff (through `sleep`), timeouts and mapped tasks, and records
 * everything in the run store exactly as the BullMQ executor does.
 */
export async function runDag<R>(dag: Dag<R>, options: RunDagOptions<R>): Promise<RunReport> {
  const clock = options.clock ?? systemClock;
  const run = await createOrClearRun(dag, options.store, resolveInterval(dag, options, clock), options);
  const log = options.log ?? silentLogger;
  await withDeadlineWatch([dag as Dag<unknown>], { store: options.store, clock, log, alerts: options.alerts }, () =>
    driveRunInline(dag, run.runId, { store: options.store, resources: options.resources, clock, log }, options),
  );
  return { run: (await options.store.getRun(run.runId))!, instances: await options.store.listTaskInstances(run.runId) };
}

/** Runs the queued and ready tasks of an existing run in-process until it ends. */
export async function driveRunInline<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>, options: { sleep?: (ms: number) => Promise<void>; pools?: Record<string, number> } = {}): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const waiting: { ti: TaskInstanceRecord; tryNumber: number }[] = [];
  const busy = new Map<string, number>();
  const active = new Set<Promise<void>>();
  const limit = (pool: string): number => Math.max(1, options.pools?.[pool] ?? 4);
  let fatal: unknown;

  // Tries left queued or running by a previous process are picked up again (running ones count as lost).
  for (const ti of await env.store.listTaskInstances(runId)) {
    if (ti.state === 'queued') waiting.push({ ti, tryNumber: ti.tryNumber });
    if (ti.state === 'up_for_retry') waiting.push({ ti, tryNumber: ti.tryNumber + 1 });
    if (ti.state === 'running') {
      const lost = new TryLostError(`process ${ti.hostname}:${ti.pid} ended during try ${ti.tryNumber}`);
      const outcome = await recordFailure(dag, ti, ti.tryNumber, ti.maxTries, lost, env, ti.startedAt);
      if (outcome.state === 'up_for_retry') waiting.push({ ti, tryNumber: ti.tryNumber + 1 });
    }
  }

  const start = (ti: TaskInstanceRecord, tryNumber: number): void => {
    busy.set(ti.pool, (busy.get(ti.pool) ?? 0) + 1);
    const p = (async () => {
      try {
        const outcome = await runTaskTry(dag, ti, tryNumber, env);
        if (outcome.state === 'up_for_retry') {
          const retry = (async () => {
            await sleep(Math.max(0, outcome.nextTryAt.getTime() - env.clock.now().getTime()));
            waiting.push({ ti, tryNumber: tryNumber + 1 });
          })();
          active.add(retry);
          void retry.finally(() => active.delete(retry));
        }
      } catch (error) {
        // The store itself failed (database gone): stop, leaving the run resumable.
        fatal ??= error;
      } finally {
        busy.set(ti.pool, (busy.get(ti.pool) ?? 1) - 1);
      }
    })();
    active.add(p);
    void p.finally(() => active.delete(p));
  };

  for (;;) {
    if (fatal !== undefined) {
      await Promise.allSettled([...active]);
      throw fatal;
    }
    const { runState } = await advanceRun(dag, runId, env, async (ti, tryNumber) => {
      waiting.push({ ti, tryNumber });
    });
    waiting.sort((a, b) => b.ti.priority - a.ti.priority);
    for (let i = 0; i < waiting.length; ) {
      const next = waiting[i]!;
      if ((busy.get(next.ti.pool) ?? 0) < limit(next.ti.pool)) {
        waiting.splice(i, 1);
        start(next.ti, next.tryNumber);
      } else i++;
    }
    if (runState && active.size === 0) return;
    if (active.size === 0) {
      if (waiting.length > 0) continue;
      throw new Error(`run ${runId} cannot make progress (no task ready, none running)`);
    }
    await Promise.race(active);
  }
}
