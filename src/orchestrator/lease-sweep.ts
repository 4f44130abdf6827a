import { TaskTimeoutError } from '../core/errors';
import type { Dag } from '../dag';
import { heldHere } from './lease';
import type { ExpiredTry } from './run-store';
import { taskLabel } from './states';
import { recordFailure, type TaskEnvironment, type TryOutcome } from './task-runner';
import { TryLostError } from './try-lost-error';

/** A try the sweep took back, and what became of it. */
export interface ExpiredTryOutcome<R> {
  dag: Dag<R>;
  instance: ExpiredTry;
  outcome: TryOutcome;
}

/**
 * Takes back the running tries nobody holds any more, by Postgres time: a try whose lease expired
 * (its process died or lost Postgres: whatever Redis remembers) is recorded as lost, a try past
 * its timeout as timed out; each is then up for retry or failed by its task's policy (a
 * compare-and-set, so a try that ended meanwhile is left alone). Tries of DAGs this process does
 * not know are left to a process that knows them, and tries this process runs are alive.
 */
export async function expireTries<R>(dags: ReadonlyMap<string, Dag<R>>, env: TaskEnvironment<R>, filter: { runId?: string } = {}): Promise<ExpiredTryOutcome<R>[]> {
  const out: ExpiredTryOutcome<R>[] = [];
  for (const instance of await env.store.findExpiredTries(filter)) {
    const dag = dags.get(instance.dagId);
    const spec = dag?.tasks.get(instance.taskId);
    if (!dag || !spec || heldHere(instance, instance.tryNumber)) continue;
    const worker = `${instance.hostname ?? '?'}:${instance.pid ?? '?'}`;
    const n = instance.tryNumber;
    const error = instance.expired === 'timeout'
      ? new TaskTimeoutError(`${dag.id}.${taskLabel(instance)} exceeded its timeout of ${spec.options.timeoutMs} ms (try ${n} on ${worker}, failed by the scheduler)`, { context: { dagId: dag.id, taskId: instance.taskId, runId: instance.runId } })
      : new TryLostError(`worker ${worker} stopped during try ${n} (lease expired)`);
    const outcome = await recordFailure(dag, instance, n, instance.maxTries, error, env, instance.startedAt);
    if (outcome.state !== 'not_claimed') env.log.warn(`${dag.id}.${taskLabel(instance)} try ${n}: ${error.message}; ${outcome.state === 'up_for_retry' ? 'retrying' : 'failed'}`, { runId: instance.runId });
    out.push({ dag, instance, outcome });
  }
  return out;
}
