import { Redis } from 'ioredis';

/** Where BullMQ keeps its queues. */
export interface RedisTarget {
  /** `redis://host:port/db`. */
  url: string;
  /** Prefix of every key; tests use their own. @defaultValue 'relance' */
  prefix?: string;
}

/**
 * A Redis connection for BullMQ: `maxRetriesPerRequest: null` so that a Redis restart makes
 * commands wait and reconnect instead of failing workers.
 */
export function openRedis(url: string, name = 'relance'): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, retryStrategy: (times) => Math.min(50 * times, 1000) });
}

/** BullMQ queue name of a pool. */
export function queueName(pool: string): string {
  return `pool-${pool}`;
}

/**
 * The job id of one try: derived from (run, task, map index, try), so adding the same try twice
 * is a no-op. `:` is reserved by BullMQ and replaced.
 */
export function jobIdFor(key: { runId: string; taskId: string; mapIndex: number }, tryNumber: number): string {
  return `${key.runId}|${key.taskId}|${key.mapIndex}|${tryNumber}`.replace(/:/g, '_');
}

/** What a job carries: the try to run, nothing else (the rest is in Postgres). */
export interface TryJobData {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
}
