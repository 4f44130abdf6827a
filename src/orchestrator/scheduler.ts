import cron, { type ScheduledTask } from 'node-cron';
import { systemClock, type Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/log';
import { deadlineFor, dueIntervals, type Dag } from '../dag';
import { checkDeadlines, type AlertSink } from './alerts';
import type { DagRegistry } from './dag-registry';
import type { Executor } from './executor';
import { expireTries } from './lease-sweep';
import { initialInstances } from './run-advancer';
import type { RunStore } from './run-store';
import type { TaskEnvironment } from './task-runner';

/** Options of {@link Scheduler}. */
export interface SchedulerOptions<R> {
  registry: DagRegistry<R>;
  resources: R;
  store: RunStore;
  /** How tries get run: the inline executor (this process) or the BullMQ executor (workers). */
  executor: Executor;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** @defaultValue silent */
  log?: Logger;
  alerts?: AlertSink;
  /** Interval of the safety sweep (missed fires, lost advances, lost jobs, expired leases). @defaultValue 10_000 */
  sweepMs?: number;
  /** Lease of the tries this process runs (inline executor). @defaultValue 20 s */
  leaseMs?: number;
}

/** What one {@link Scheduler.tick} did. */
export interface TickReport {
  /** False when another scheduler held the lock. */
  ran: boolean;
  created: string[];
  started: string[];
  requeued: number;
  /** Running tries taken back: lease expired or past their timeout. */
  expired: number;
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
  private crons: ScheduledTask[] = [];
  private sweep: NodeJS.Timeout | undefined;
  private ticking: Promise<TickReport> | undefined;

  constructor(private readonly options: SchedulerOptions<R>) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.env = { store: options.store, resources: options.resources, clock: this.clock, log: this.log, ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}) };
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
      .then((report) => report ?? { ran: false, created: [], started: [], requeued: 0, expired: 0, alerts: 0 })
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private async pass(): Promise<TickReport> {
    const { store, executor } = this.options;
    const report: TickReport = { ran: true, created: [], started: [], requeued: 0, expired: 0, alerts: 0 };
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
    // Tries nobody holds any more are failed or retried first, so that their runs can end (and
    // free their place under maxActiveRuns) in this same pass.
    for (const { dag, instance, outcome } of await expireTries(this.options.registry.dags, this.env)) {
      if (outcome.state === 'not_claimed') continue;
      report.expired++;
      if (outcome.state === 'up_for_retry') await executor.retry(dag, instance, instance.tryNumber + 1, Math.max(0, outcome.nextTryAt.getTime() - now.getTime()), this.env);
    }
    for (const dag of this.options.registry.dags.values()) {
      for (const run of await store.listRuns({ dagId: dag.id, states: ['running'] })) report.requeued += await executor.recover(dag, run.runId, this.env);
      const active = await store.listRuns({ dagId: dag.id, states: ['queued', 'running'] });
      let running = active.filter((r) => r.state === 'running').length;
      const queued = active.filter((r) => r.state === 'queued').sort((a, b) => a.logicalDate.getTime() - b.logicalDate.getTime());
      for (const run of queued) {
        if (running >= dag.maxActiveRuns) break;
        running++;
        report.started.push(run.runId);
        this.log.info(`starting run ${run.runId}`, { dag: dag.id });
        await executor.start(dag, run.runId, this.env);
      }
    }
    report.alerts = await checkDeadlines(this.options.registry.dags.values() as Iterable<Dag<unknown>>, store, this.clock, this.log, this.options.alerts);
    return report;
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

  /** Stops waking up; waits for the current pass and for the runs this process drives (inline). */
  async stop(): Promise<void> {
    for (const c of this.crons) await c.stop();
    this.crons = [];
    if (this.sweep) clearInterval(this.sweep);
    await this.ticking?.catch(() => undefined);
    await this.options.executor.idle();
  }

  /** Resolves once no run is driven in this process (inline executor). */
  idle(): Promise<void> {
    return this.options.executor.idle();
  }
}
