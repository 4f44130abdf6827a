import cron, { type ScheduledTask } from 'node-cron';
import { systemClock, type Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/log';
import { deadlineFor, dueIntervals, type Dag } from '../dag';
import { checkDeadlines, type AlertSink } from './alerts';
import type { DagRegistry } from './dag-registry';
import { driveRunInline } from './inline-executor';
import { advanceRun, initialInstances } from './run-advancer';
import { startRun } from './run-driver';
import type { RunStore } from './run-store';
import type { TaskInstanceRecord } from './states';
import type { TaskEnvironment } from './task-runner';

/** How the scheduler gets tasks run. */
export type SchedulerExecutor =
  /** Runs in this process (embedded mode). */
  | { kind: 'inline'; pools?: Record<string, number>; sleep?: (ms: number) => Promise<void> }
  /** Queues tries for workers (BullMQ). */
  | { kind: 'queue'; enqueue: (instance: TaskInstanceRecord & { dagId: string }, tryNumber: number, delayMs?: number) => Promise<void> };

/** Options of {@link Scheduler}. */
export interface SchedulerOptions<R> {
  registry: DagRegistry<R>;
  resources: R;
  store: RunStore;
  executor: SchedulerExecutor;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** @defaultValue silent */
  log?: Logger;
  alerts?: AlertSink;
  /** Interval of the safety sweep (missed fires, lost advances, lost jobs). @defaultValue 10_000 */
  sweepMs?: number;
  /** A queued try older than this is queued again (same job id, so never twice). @defaultValue 30_000 */
  requeueAfterMs?: number;
}

/** What one {@link Scheduler.tick} did. */
export interface TickReport {
  /** False when another scheduler held the lock. */
  ran: boolean;
  created: string[];
  started: string[];
  requeued: number;
  alerts: number;
}

const SCHEDULER_LOCK = 727_100;

/**
 * The scheduler: creates the runs a DAG's schedule owes (catching up missed intervals when
 * `catchup` is on), starts them within `maxActiveRuns`, sweeps for lost work and checks deadlines.
 * node-cron only wakes it at schedule times; what is due is computed from the store and the cron
 * arithmetic of `src/dag`, so a doubled or missed wake-up (daylight saving, restart) changes
 * nothing. Several schedulers may run: ticks are serialised by an advisory lock, and runs are
 * unique per (dag, logical date) in the database anyway.
 */
export class Scheduler<R> {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly env: TaskEnvironment<R>;
  private readonly inline = new Map<string, Promise<void>>();
  private crons: ScheduledTask[] = [];
  private sweep: NodeJS.Timeout | undefined;
  private ticking: Promise<TickReport> | undefined;

  constructor(private readonly options: SchedulerOptions<R>) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.env = { store: options.store, resources: options.resources, clock: this.clock, log: this.log };
  }

  /** Whether a DAG is paused: the CLI's choice (stored) wins over the configuration. */
  async isPaused(dag: Dag<R>): Promise<boolean> {
    return (await this.options.store.isPaused(dag.id)) ?? dag.paused;
  }

  /** One pass; safe to call at any time from any number of processes. */
  tick(): Promise<TickReport> {
    // Calls while a pass is running share it rather than queueing more passes.
    this.ticking ??= this.options.store
      .exclusively(SCHEDULER_LOCK, () => this.pass())
      .then((report) => report ?? { ran: false, created: [], started: [], requeued: 0, alerts: 0 })
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private async pass(): Promise<TickReport> {
    const { store } = this.options;
    const report: TickReport = { ran: true, created: [], started: [], requeued: 0, alerts: 0 };
    const now = this.clock.now();
    for (const dag of this.options.registry.dags.values()) {
      if (!dag.cron || (await this.isPaused(dag))) continue;
      const last = await store.latestLogicalDate(dag.id);
      for (const interval of dueIntervals(dag, now, last)) {
        const run = await store.createRun(
          { dagId: dag.id, logicalDate: interval.start, dataIntervalStart: interval.start, dataIntervalEnd: interval.end, runType: 'scheduled', conf: {}, deadlineAt: deadlineFor(dag, interval) },
          initialInstances(dag as Dag<unknown>),
        );
        if (run) {
          report.created.push(run.runId);
          this.log.info(`created run ${run.runId}`, { dag: dag.id });
        }
      }
    }
    for (const dag of this.options.registry.dags.values()) {
      const running = await store.listRuns({ dagId: dag.id, states: ['running'] });
      // Scheduled, manual and backfill runs alike start here, within maxActiveRuns (see trigger.ts).
      for (const runId of await store.admitQueuedRuns(dag.id, dag.maxActiveRuns, now)) {
        report.started.push(runId);
        await this.startRun(dag, runId);
      }
      for (const run of running) {
        if (this.options.executor.kind === 'inline') {
          if (!this.inline.has(run.runId)) this.driveInline(dag, run.runId);
        } else {
          report.requeued += await this.recover(dag, run.runId, now);
        }
      }
    }
    report.alerts = await checkDeadlines(this.options.registry.dags.values() as Iterable<Dag<unknown>>, store, this.clock, this.log, this.options.alerts);
    return report;
  }

  private async startRun(dag: Dag<R>, runId: string): Promise<void> {
    const executor = this.options.executor;
    this.log.info(`starting run ${runId}`, { dag: dag.id });
    if (executor.kind === 'queue') {
      await startRun(dag, runId, this.env, (ti, tryNumber) => executor.enqueue({ ...ti, dagId: dag.id }, tryNumber));
    } else {
      this.driveInline(dag, runId);
    }
  }

  private driveInline(dag: Dag<R>, runId: string): void {
    const executor = this.options.executor;
    const drive = driveRunInline(dag, runId, this.env, executor.kind === 'inline' ? { pools: executor.pools, sleep: executor.sleep } : {})
      .catch((error: Error) => this.log.error(`run ${runId} stopped: ${error.message}`))
      .finally(() => this.inline.delete(runId));
    this.inline.set(runId, drive);
  }

  /** Re-advances a running run and queues again the tries whose jobs may have been lost. */
  private async recover(dag: Dag<R>, runId: string, now: Date): Promise<number> {
    const executor = this.options.executor;
    if (executor.kind !== 'queue') return 0;
    const enqueue = (ti: TaskInstanceRecord, tryNumber: number, delayMs?: number): Promise<void> => executor.enqueue({ ...ti, dagId: dag.id }, tryNumber, delayMs);
    await advanceRun(dag, runId, this.env, enqueue);
    const stale = now.getTime() - (this.options.requeueAfterMs ?? 30_000);
    let requeued = 0;
    for (const ti of await this.options.store.listTaskInstances(runId)) {
      if (ti.state === 'queued' && ti.queuedAt && ti.queuedAt.getTime() < stale) {
        await enqueue(ti, ti.tryNumber);
        requeued++;
      } else if (ti.state === 'up_for_retry' && ti.nextTryAt && ti.nextTryAt.getTime() < stale) {
        await enqueue(ti, ti.tryNumber + 1);
        requeued++;
      }
    }
    return requeued;
  }

  /** Starts the cron wake-ups and the sweep, and ticks once (catching up if due). */
  async start(): Promise<TickReport> {
    for (const dag of this.options.registry.dags.values()) {
      if (!dag.schedule) continue;
      this.crons.push(cron.schedule(dag.schedule, () => void this.tick().catch((e: Error) => this.log.error(`tick failed: ${e.message}`)), { timezone: dag.timezone, name: `relance-${dag.id}` }));
    }
    this.sweep = setInterval(() => void this.tick().catch((e: Error) => this.log.error(`tick failed: ${e.message}`)), this.options.sweepMs ?? 10_000);
    return this.tick();
  }

  /** Stops waking up; waits for the current pass and for inline runs in progress. */
  async stop(): Promise<void> {
    for (const c of this.crons) await c.stop();
    this.crons = [];
    if (this.sweep) clearInterval(this.sweep);
    await this.ticking?.catch(() => undefined);
    await Promise.all(this.inline.values());
  }

  /** Inline runs in progress (embedded mode). */
  async idle(): Promise<void> {
    while (this.inline.size > 0) await Promise.all(this.inline.values());
  }
}
