import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../../core/log';
import type { TaskInstanceRecord } from '../states';
import { jobIdFor, openRedis, queueName, type RedisTarget, type TryJobData } from './connection';

/**
 * The queue side of the BullMQ executor: one queue per pool, one job per try, with an id derived
 * from (run, task, try) so that a try is never queued twice, whoever queues it.
 */
export class BullmqExecutor {
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue<TryJobData>>();
  private readonly log: Logger;
  private lastError = { message: '', at: 0 };
  readonly prefix: string;

  /** `log` receives connection errors (Redis down or restarting), once per message and minute. */
  constructor(target: RedisTarget, options: { log?: Logger } = {}) {
    this.connection = openRedis(target.url, `${target.prefix ?? 'relance'}:queue`);
    this.prefix = target.prefix ?? 'relance';
    this.log = options.log ?? silentLogger;
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
