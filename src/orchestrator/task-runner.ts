import { hostname as osHostname } from 'node:os';
import { TaskTimeoutError, ValidationError } from '../core/errors';
import type { Clock } from '../core/clock';
import { redact, type Logger } from '../core/log';
import { localIsoDate, retryDelay, shouldRetry, type Dag, type Json, type TaskContext } from '../dag';
import type { RunStore } from './run-store';
import { DEFAULT_LEASE_MS, holdLease } from './lease';
import { createTaskLogger } from './task-logger';
import { TryLostError } from './try-lost-error';
import { taskLabel, type DagRunRecord, type TaskInstanceRecord, type TaskKey } from './states';

/** Results larger than this (bytes of JSON) fail the task: results are for small values. */
export const MAX_RESULT_BYTES = 64 * 1024;

export { TryLostError };

/** What running a task needs, whichever executor runs it. */
export interface TaskEnvironment<R> {
  readonly store: RunStore;
  readonly resources: R;
  readonly clock: Clock;
  /** The process's logger (task lines are also echoed to it at debug level). */
  readonly log: Logger;
  /** Shown in `tasks list`. @defaultValue os.hostname() */
  readonly hostname?: string;
  /** @defaultValue process.pid */
  readonly pid?: number;
  /** Lease of a running try, renewed every quarter of it (config `orchestrator.leaseMs`). @defaultValue 20 s */
  readonly leaseMs?: number;
}

/** How one try ended. */
export type TryOutcome =
  | { state: 'success' }
  | { state: 'up_for_retry'; nextTryAt: Date; error: string }
  | { state: 'failed'; error: string }
  /** The try was not ours to run (already claimed, finished or cleared). */
  | { state: 'not_claimed' };

/** Builds the context a task receives. */
export function buildContext<R>(dag: Dag<R>, run: DagRunRecord, ti: Pick<TaskInstanceRecord, 'taskId' | 'mapIndex'>, tryNumber: number, env: TaskEnvironment<R>, log: Logger, signal: AbortSignal): TaskContext<R> {
  return {
    dagId: dag.id, runId: run.runId, taskId: ti.taskId, ...(ti.mapIndex >= 0 ? { mapIndex: ti.mapIndex } : {}),
    logicalDate: run.logicalDate, ds: localIsoDate(run.logicalDate, dag.timezone), dataInterval: { start: run.dataIntervalStart, end: run.dataIntervalEnd },
    runType: run.runType, conf: run.conf, tryNumber, log, signal, resources: env.resources,
    async upstream(taskId) {
      const spec = dag.tasks.get(taskId);
      const results = await env.store.getResults(run.runId, taskId);
      if (spec?.over) return results.length === 0 ? undefined : results.map((r) => r.value);
      return results[0]?.value;
    },
  };
}

const runCaches = new WeakMap<object, Map<string, DagRunRecord>>();

/**
 * A run's record, cached per store: what a task reads of it (dates, conf, type) never changes
 * once created, and workers read it for every try.
 */
async function getRunCached<R>(env: TaskEnvironment<R>, runId: string): Promise<DagRunRecord | undefined> {
  let cache = runCaches.get(env.store);
  if (!cache) runCaches.set(env.store, (cache = new Map()));
  const hit = cache.get(runId);
  if (hit && hit.state === 'running') return hit;
  const run = await env.store.getRun(runId);
  if (run) {
    if (cache.size > 1000) cache.clear();
    cache.set(runId, run);
  }
  return run;
}

/** Rejects after `ms` with a timeout error and aborts `controller`. */
function withTimeout<T>(work: Promise<T>, ms: number, controller: AbortController, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TaskTimeoutError(`${what} exceeded its timeout of ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs try `tryNumber` of a task instance: claims it (compare-and-set, so a duplicate delivery
 * does nothing), runs the task with its timeout and a stored logger, stores its result, and
 * records success, a retry (with its backoff) or a failure.
 */
export async function runTaskTry<R>(dag: Dag<R>, key: TaskKey, tryNumber: number, env: TaskEnvironment<R>, options: { execute?: (ctx: TaskContext<R>, item: Json | undefined) => Promise<Json | void> } = {}): Promise<TryOutcome> {
  const spec = dag.tasks.get(key.taskId);
  const run = await getRunCached(env, key.runId);
  if (!spec || !run) return { state: 'not_claimed' };
  const started = env.clock.now();
  const leaseMs = env.leaseMs ?? DEFAULT_LEASE_MS;
  const claimed = await env.store.claimTry(key, tryNumber, { hostname: env.hostname ?? osHostname(), pid: env.pid ?? process.pid, at: started, leaseMs, timeoutMs: spec.options.timeoutMs });
  if (!claimed) return { state: 'not_claimed' };
  const lease = holdLease(env.store, key, tryNumber, leaseMs);
  if (run.state === 'queued') await env.store.setRunState(run.runId, ['queued'], 'running', started);

  const label = `${dag.id}.${taskLabel(key)}`;
  const taskLog = createTaskLogger(env.store, key, tryNumber, (line) => env.log.debug(line));
  const flusher = setInterval(() => void taskLog.flush(), 1000);
  flusher.unref();
  const controller = new AbortController();
  const ctx = buildContext(dag, run, claimed, tryNumber, env, taskLog.log, controller.signal);
  const item = claimed.mapIndex >= 0 ? (claimed.mapItem ?? null) : undefined;
  let outcome: TryOutcome;
  try {
    const execute = options.execute ?? (async (c: TaskContext<R>, i: Json | undefined) => spec.run(c, i));
    // A lost lease (the sweep failed the try, or it was cleared) stops the try like a timeout.
    const value = await Promise.race([withTimeout(Promise.resolve().then(() => execute(ctx, item)), spec.options.timeoutMs, controller, label), lease.lost]);
    const json = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
    const bytes = Buffer.byteLength(JSON.stringify(json));
    if (bytes > MAX_RESULT_BYTES) {
      throw new ValidationError(`${label} returned ${bytes} bytes; task results are limited to ${MAX_RESULT_BYTES} (store data in tables, pass small values)`, { context: { dagId: dag.id, taskId: key.taskId } });
    }
    if (value !== undefined) await env.store.putResult(key, json);
    const ended = env.clock.now();
    await taskLog.flush();
    const ok = await env.store.transition(key, ['running'], 'success', { endedAt: ended, durationMs: ended.getTime() - started.getTime() }, tryNumber);
    outcome = ok ? { state: 'success' } : { state: 'not_claimed' };
  } catch (error) {
    if (!controller.signal.aborted) controller.abort(error);
    outcome = await recordFailure(dag, key, tryNumber, claimed.maxTries, error, env, started, taskLog.log);
    await taskLog.flush();
  } finally {
    lease.release();
    clearInterval(flusher);
  }
  return outcome;
}

/** Records a failed try: up for retry (with the backoff's next instant) or failed. */
export async function recordFailure<R>(dag: Dag<R>, key: TaskKey, tryNumber: number, maxTries: number, error: unknown, env: TaskEnvironment<R>, started: Date | null, log?: Logger): Promise<TryOutcome> {
  const spec = dag.tasks.get(key.taskId)!;
  const message = describeError(error);
  const ended = env.clock.now();
  const durationMs = started ? ended.getTime() - started.getTime() : null;
  const retry = tryNumber < maxTries && shouldRetry({ retries: maxTries - 1 }, tryNumber, error, ended);
  if (log) log.error(`try ${tryNumber} failed: ${message}`);
  else await env.store.appendLogs(key, [{ tryNumber, level: 'error', line: `${ended.toISOString()} ERROR try ${tryNumber} failed: ${message}`, at: ended }]);
  if (retry) {
    const nextTryAt = new Date(ended.getTime() + retryDelay(spec.options, tryNumber + 1));
    const ok = await env.store.transition(key, ['running'], 'up_for_retry', { endedAt: ended, durationMs, error: message, nextTryAt }, tryNumber);
    return ok ? { state: 'up_for_retry', nextTryAt, error: message } : { state: 'not_claimed' };
  }
  const ok = await env.store.transition(key, ['running'], 'failed', { endedAt: ended, durationMs, error: message }, tryNumber);
  return ok ? { state: 'failed', error: message } : { state: 'not_claimed' };
}

/** One line naming an error (its class name and message; never its bound values). */
export function describeError(error: unknown): string {
  return redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
