import { hostname as osHostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { systemClock, type Clock } from '../../core/clock';
import { silentLogger, type Logger } from '../../core/log';
import type { Dag, Json, TaskContext } from '../../dag';
import type { DagRegistry } from '../dag-registry';
import { advanceRun } from '../run-advancer';
import type { RunStore } from '../run-store';
import { recordFailure, runTaskTry, TryLostError, type TaskEnvironment, type TryOutcome } from '../task-runner';
import { DEFAULT_LEASE_MS } from '../lease';
import { taskLabel, type TaskInstanceRecord, type TaskKey } from '../states';
import { BullmqExecutor } from './bullmq-executor';
import { openRedis, queueName, type RedisTarget, type TryJobData } from './connection';

/** How to start a worker process's BullMQ workers. */
export interface WorkerOptions<R> {
  registry: DagRegistry<R>;
  resources: R;
  store: RunStore;
  redis: RedisTarget;
  /** Tries of a pool run at once by this process. @defaultValue 4 for every pool */
  pools?: Record<string, number>;
  /** Only these pools (default: every pool used by a DAG of the registry). */
  onlyPools?: string[];
  /** @defaultValue systemClock */
  clock?: Clock;
  /** @defaultValue silent */
  log?: Logger;
  /** A job whose lock is not renewed for this long is given to another worker. @defaultValue 10_000 */
  lockDurationMs?: number;
  /** How often workers look for such jobs. @defaultValue 5_000 */
  stalledIntervalMs?: number;
  /** Lease of the tries this worker runs, renewed in Postgres every quarter of it. @defaultValue 20 s */
  leaseMs?: number;
  /**
   * Runs `cpu: true` tasks off the event loop (e.g. in a worker thread), so lock renewal never
   * waits for a long computation. Default: on the event loop.
   */
  executeCpuTask?: (dag: Dag<R>, ctx: TaskContext<R>, item: Json | undefined) => Promise<Json | void>;
}

/** A running worker. */
export interface RunningWorker {
  readonly pools: readonly string[];
  /** Waits for the tries in progress, then stops. */
  close(): Promise<void>;
}

const downstreamCache = new WeakMap<object, Set<string>>();

/** Whether any task of the DAG waits for `taskId`. */
function hasDownstream(dag: Dag<unknown> | Dag<never>, taskId: string): boolean {
  let upstreams = downstreamCache.get(dag);
  if (!upstreams) {
    upstreams = new Set([...(dag as Dag<unknown>).tasks.values()].flatMap((t) => [...t.upstream]));
    downstreamCache.set(dag, upstreams);
  }
  return upstreams.has(taskId);
}

/**
 * The try `tryNumber` of `key` when it is running with an expired lease, waiting up to one lease
 * for it to expire; undefined when it ends, moves on or has its lease renewed meanwhile (its
 * worker is alive).
 */
async function lostTry(store: RunStore, key: TaskKey, tryNumber: number, leaseMs: number): Promise<TaskInstanceRecord | undefined> {
  let seen: number | undefined;
  const until = Date.now() + 2 * leaseMs;
  while (Date.now() < until) {
    const ti = await store.getTaskInstance(key);
    if (!ti || ti.state !== 'running' || ti.tryNumber !== tryNumber) return undefined;
    if ((await store.findExpiredTries({ runId: key.runId })).some((e) => e.taskId === key.taskId && e.mapIndex === key.mapIndex && e.tryNumber === tryNumber)) return ti;
    const expires = ti.leaseExpiresAt?.getTime();
    if (seen !== undefined && expires !== undefined && expires > seen) return undefined;
    seen ??= expires;
    await new Promise((resolve) => setTimeout(resolve, Math.max(20, Math.floor(leaseMs / 8))));
  }
  return undefined;
}

/**
 * Starts one BullMQ worker per pool. Each job runs one try (claimed in Postgres, so a duplicate
 * delivery does nothing), queues the next try of a failed task after its backoff, then advances
 * the run. A job delivered again after its worker died finds its try still `running` and records
 * it as lost, which retries the task.
 */
export async function startWorker<R>(options: WorkerOptions<R>): Promise<RunningWorker> {
  const log = options.log ?? silentLogger;
  const executor = new BullmqExecutor(options.redis, { log });
  const env: TaskEnvironment<R> = { store: options.store, resources: options.resources, clock: options.clock ?? systemClock, log, hostname: osHostname(), pid: process.pid, leaseMs: options.leaseMs };
  const pools = options.onlyPools ?? [...new Set([...options.registry.dags.values()].flatMap((d) => [...d.tasks.values()].map((t) => t.options.pool)))].sort();
  const connections: ReturnType<typeof openRedis>[] = [];
  /** Tries in progress in this process, by job id. */
  const running = new Set<string>();

  const enqueueFor = (dag: Dag<R>) => (ti: { runId: string; taskId: string; mapIndex: number; pool: string; priority: number }, tryNumber: number) => executor.enqueue({ ...ti, dagId: dag.id }, tryNumber);

  const processJob = async (job: Job<TryJobData>): Promise<string> => {
    const d = job.data;
    const dag = options.registry.get(d.dagId);
    const key: TaskKey = { runId: d.runId, taskId: d.taskId, mapIndex: d.mapIndex };
    const spec = dag.tasks.get(d.taskId);
    const execute = spec?.options.cpu && options.executeCpuTask ? (ctx: TaskContext<R>, item: Json | undefined) => options.executeCpuTask!(dag, ctx, item) : undefined;
    const tryKey = `${job.id}`;
    if (running.has(tryKey)) return 'already running here';
    let outcome: TryOutcome;
    running.add(tryKey);
    try {
      outcome = await runTaskTry(dag, key, d.tryNumber, env, execute ? { execute } : {});
    } finally {
      running.delete(tryKey);
    }
    if (outcome.state === 'not_claimed') {
      // Running in the store, not running here, and delivered again: its worker may have died.
      // Only an expired lease says so (a worker cut from Redis still runs it and renews its lease).
      const ti = job.attemptsStarted > 1 || job.stalledCounter > 0 ? await lostTry(options.store, key, d.tryNumber, env.leaseMs ?? DEFAULT_LEASE_MS) : undefined;
      if (!ti) return 'not claimed';
      log.warn(`try ${d.tryNumber} of ${d.dagId}.${taskLabel(key)} was lost (worker ${ti.hostname}:${ti.pid} stopped); retrying`);
      outcome = await recordFailure(dag, key, d.tryNumber, ti.maxTries, new TryLostError(`worker ${ti.hostname}:${ti.pid} stopped during try ${d.tryNumber} (lease expired)`), env, ti.startedAt);
    }
    if (outcome.state === 'up_for_retry') {
      const ti = (await options.store.getTaskInstance(key))!;
      await executor.enqueue({ ...ti, dagId: dag.id }, d.tryNumber + 1, Math.max(0, outcome.nextTryAt.getTime() - env.clock.now().getTime()));
    }
    // A leaf task that succeeded while others are still unfinished changes nothing to plan:
    // skipping the full advance keeps wide DAGs linear rather than quadratic.
    const leaf = !hasDownstream(dag, d.taskId);
    if (!(outcome.state === 'success' && leaf && (await options.store.countUnfinished(d.runId)) > 0)) {
      await advanceRun(dag, d.runId, env, enqueueFor(dag));
    }
    return outcome.state;
  };

  const workers = pools.map((pool) => {
    const connection = openRedis(options.redis.url, `${executor.prefix}:worker-${pool}`);
    connections.push(connection);
    const worker = new Worker<TryJobData, string>(queueName(pool), processJob, {
      connection, prefix: executor.prefix, concurrency: options.pools?.[pool] ?? 4,
      lockDuration: options.lockDurationMs ?? 10_000, stalledInterval: options.stalledIntervalMs ?? 5_000, maxStalledCount: 3,
    });
    worker.on('error', (error) => log.warn(`worker ${pool}: ${error.message}`));
    worker.on('failed', (job, error) => log.error(`job ${job?.id ?? '?'} failed: ${error.message}`));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    pools,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await executor.close();
      for (const c of connections) c.disconnect();
    },
  };
}
