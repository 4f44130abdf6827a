import { systemClock, type Clock } from '../core/clock';
import { ConflictError } from '../core/errors';
import { silentLogger, type Logger } from '../core/log';
import { deadlineFor, intervalContaining, intervalForDate, type Dag, type DataInterval, type RunType, type ScheduledDag } from '../dag';
import type { Executor } from './executor';
import { driveRunInline, RunNudge, type CpuTaskExecutor } from './inline-driver';
import { initialInstances } from './run-advancer';
import type { RunStore } from './run-store';
import type { DagRunRecord, TaskInstanceRecord } from './states';
import type { TaskEnvironment } from './task-runner';
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
  /** Runs `cpu: true` tasks off the event loop (see {@link DriveOptions.executeCpuTask}). */
  executeCpuTask?: CpuTaskExecutor;
}

/** The run when it ended, with its task instances. */
export interface RunReport {
  run: DagRunRecord;
  instances: TaskInstanceRecord[];
}

/**
 * Which interval a run of {@link runDag} means (unchecked: manual triggers go through
 * `triggerInterval`, which also refuses early, unfinished and impossible nights).
 */
export function resolveInterval(dag: ScheduledDag, options: { logicalDate?: Date; date?: string }, clock: Clock): DataInterval {
  if (options.logicalDate) return intervalContaining(dag, options.logicalDate);
  if (options.date) return intervalForDate(dag, options.date);
  if (!dag.cron) return { start: clock.now(), end: clock.now() };
  const end = dag.cron.prev(new Date(clock.now().getTime() + 1));
  return { start: dag.cron.prev(end), end };
}

/**
 * Records a run (or reuses it with `rerun`) and returns it; refuses a second run of the same
 * (dag, logical date) otherwise, with a {@link ConflictError}.
 */
export async function createOrClearRun<R>(dag: Dag<R>, store: RunStore, interval: DataInterval, options: { conf?: Record<string, unknown>; runType?: RunType; rerun?: boolean }): Promise<DagRunRecord> {
  const created = await store.createRun(
    { dagId: dag.id, logicalDate: interval.start, dataIntervalStart: interval.start, dataIntervalEnd: interval.end, runType: options.runType ?? 'manual', conf: options.conf ?? {}, deadlineAt: deadlineFor(dag, interval) },
    initialInstances(dag as Dag<unknown>),
  );
  if (created) return created;
  const existing = (await store.findRun(dag.id, interval.start))!;
  if (!options.rerun) {
    throw new ConflictError(`dag ${dag.id} already has run ${existing.runId} (${existing.state}) for this night; pass rerun to clear and run it again`, { context: { dagId: dag.id, runId: existing.runId } });
  }
  if (existing.state === 'queued' || existing.state === 'running') {
    throw new ConflictError(`run ${existing.runId} is still ${existing.state}; it cannot be re-run before it ends`, { context: { dagId: dag.id, runId: existing.runId } });
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

/** Options of {@link InlineExecutor}. */
export interface InlineExecutorOptions {
  /** Concurrency per pool. @defaultValue 4 for every pool */
  pools?: Record<string, number>;
  /** Waits between tries (a retry's backoff); tests pass one that advances a fake clock. @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Runs `cpu: true` tasks off the event loop (see {@link DriveOptions.executeCpuTask}). */
  executeCpuTask?: CpuTaskExecutor;
}

/**
 * The inline {@link Executor}: drives each started run in this process (embedded mode, `relance
 * scheduler` without Redis), one driver per run. Recovering a run this process does not drive
 * starts a driver, which takes over what the store has (queued tries, due retries, tries whose
 * lease expired); recovering a run it drives wakes that driver up to look at the store again.
 */
export class InlineExecutor implements Executor {
  readonly name = 'inline';
  private readonly drives = new Map<string, { done: Promise<void>; nudge: RunNudge }>();

  constructor(private readonly options: InlineExecutorOptions = {}) {}

  async start<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): Promise<void> {
    await env.store.setRunState(runId, ['queued'], 'running', env.clock.now());
    this.drive(dag, runId, env);
  }

  async recover<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): Promise<number> {
    const current = this.drives.get(runId);
    if (current) current.nudge.wake();
    else this.drive(dag, runId, env);
    return 0;
  }

  async retry<R>(dag: Dag<R>, instance: TaskInstanceRecord, _tryNumber: number, _delayMs: number, env: TaskEnvironment<R>): Promise<void> {
    // The driver takes the retry from the store, at its next try time.
    await this.recover(dag, instance.runId, env);
  }

  async idle(): Promise<void> {
    while (this.drives.size > 0) await Promise.all([...this.drives.values()].map((d) => d.done));
  }

  stop(): Promise<void> {
    return this.idle();
  }

  private drive<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): void {
    const nudge = new RunNudge();
    const done = driveRunInline(dag, runId, env, { ...this.options, nudge })
      .catch((error: Error) => env.log.error(`run ${runId} stopped: ${error.message}`))
      .finally(() => this.drives.delete(runId));
    this.drives.set(runId, { done, nudge });
  }
}
