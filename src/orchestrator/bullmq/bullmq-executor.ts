import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../../core/log';
import type { Dag } from '../../dag';
import type { Executor } from '../executor';
import { advanceRun } from '../run-advancer';
import { startRun } from '../run-driver';
import type { TaskInstanceRecord } from '../states';
import type { TaskEnvironment } from '../task-runner';
import { jobIdFor, openRedis, queueName, type RedisTarget, type TryJobData } from './connection';

/** Options of {@link BullmqExecutor}. */
export interface BullmqExecutorOptions {
  /** Receives connection errors (Redis down or restarting), once per message and minute. */
  log?: Logger;
  /**
   * {@link BullmqExecutor.recover} queues again a try queued (or due for retry) longer ago than
   * this: its job may have been lost with Redis (same job id, so never twice). @defaultValue 30_000
   */
  requeueAfterMs?: number;
}

/**
 * The BullMQ {@link Executor}, queue side: one queue per pool, one job per try, with an id derived
 * from (run, task, try) so that a try is never queued twice, whoever queues it. Worker processes
 * (`startWorker`) run the jobs.
 */
export class BullmqExecutor implements Executor {
  readonly name = 'bullmq';
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue<TryJobData>>();
  private readonly log: Logger;
  private readonly requeueAfterMs: number;
  private lastError = { message: '', at: 0 };
  readonly prefix: string;

  constructor(target: RedisTarget, options: BullmqExecutorOptions = {}) {
    this.connection = openRedis(target.url, `${target.prefix ?? 'relance'}:queue`);
    this.prefix = target.prefix ?? 'relance';
    this.log = options.log ?? silentLogger;
    this.requeueAfterMs = options.requeueAfterMs ?? 30_000;
  }

  async start<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): Promise<void> {
    await startRun(dag, runId, env, (ti, tryNumber) => this.enqueue({ ...ti, dagId: dag.id }, tryNumber));
  }

  async recover<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): Promise<number> {
    const enqueue = (ti: TaskInstanceRecord, tryNumber: number, delayMs?: number): Promise<void> => this.enqueue({ ...ti, dagId: dag.id }, tryNumber, delayMs);
    await advanceRun(dag, runId, env, enqueue);
    const stale = env.clock.now().getTime() - this.requeueAfterMs;
    let requeued = 0;
    for (const ti of await env.store.listTaskInstances(runId)) {
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

  async retry<R>(dag: Dag<R>, instance: TaskInstanceRecord, tryNumber: number, delayMs: number): Promise<void> {
    await this.enqueue({ ...instance, dagId: dag.id }, tryNumber, delayMs);
  }

  /** Nothing runs in this process: workers do. */
  async idle(): Promise<void> {}

  stop(): Promise<void> {
    return this.close();
  }

  private onError(pool: string, error: Error): void {
    const now = Date.now();
    if (error.message === this.lastError.message && now - this.lastError.at < 60_000) return;
    this.lastError = { message: error.message, at: now };
    this.log.warn(`queue ${pool}: ${error.message} (commands wait for Redis to come back)`);
  }

  /** The queue of a pool (created on first use). */
  queue(pool: string): Queue<TryJobData> {
    let q = this.queues.get(pool);
    if (!q) {
      q = new Queue<TryJobData>(queueName(pool), { connection: this.connection, prefix: this.prefix });
      q.on('error', (error) => this.onError(pool, error));
      this.queues.set(pool, q);
    }
    return q;
  }

  /** Queues try `tryNumber` of an instance, after `delayMs` (a retry's backoff). */
  async enqueue(instance: Pick<TaskInstanceRecord, 'runId' | 'taskId' | 'mapIndex' | 'pool' | 'priority'> & { dagId: string }, tryNumber: number, delayMs = 0): Promise<void> {
    const data: TryJobData = { dagId: instance.dagId, runId: instance.runId, taskId: instance.taskId, mapIndex: instance.mapIndex, tryNumber };
    await this.queue(instance.pool).add(`${instance.taskId}`, data, {
      jobId: jobIdFor(instance, tryNumber),
      // Task failures are retried by relance with the task's policy (a new job per try); these
      // attempts only cover the worker failing to talk to Postgres or Redis around the try.
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      ...(delayMs > 0 ? { delay: delayMs } : {}),
      // BullMQ: 1 is the highest priority; relance: higher runs first. 0 keeps the fast FIFO path.
      ...(instance.priority > 0 ? { priority: Math.max(1, 1000 - instance.priority) } : {}),
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Sets a pool's concurrency across every worker (BullMQ global concurrency). */
  async setPoolSize(pool: string, size: number): Promise<void> {
    await this.queue(pool).setGlobalConcurrency(size);
  }

  /** Closes the queues and the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
