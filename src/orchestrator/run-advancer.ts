import type { Dag, Json } from '../dag';
import { planRun } from './planner';
import type { NewTaskInstance, RunStore } from './run-store';
import type { RunState, TaskInstanceRecord } from './states';
import { buildContext, describeError, type TaskEnvironment } from './task-runner';
import { createTaskLogger } from './task-logger';

/** Hands a queued try to an executor. */
export type Enqueue = (instance: TaskInstanceRecord, tryNumber: number) => Promise<void>;

/** What one {@link advanceRun} did. */
export interface AdvanceResult {
  /** The run's final state when it just finished (or had finished), else null. */
  runState: RunState | null;
  /** Tries queued by this call. */
  queued: number;
}

/** The task instances a new run starts with: one per task, map placeholders at index -1. */
export function initialInstances(dag: Dag<unknown>): NewTaskInstance[] {
  return dag.order.map((id) => {
    const o = dag.tasks.get(id)!.options;
    return { taskId: id, mapIndex: -1, maxTries: o.retries + 1, pool: o.pool, priority: o.priority };
  });
}

/**
 * Moves a run forward from its stored state: settles tasks their trigger rules skip or fail,
 * expands mapped tasks whose upstream is done, queues ready tasks (compare-and-set, so two
 * processes advancing the same run queue each try once) and records the run's end. Any process
 * holding the DAG and resources may call it, as often as it likes.
 */
export async function advanceRun<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>, enqueue: Enqueue): Promise<AdvanceResult> {
  const { store } = env;
  let queued = 0;
  for (let round = 0; round < dag.order.length * 2 + 10; round++) {
    const run = await store.getRun(runId);
    if (!run) return { runState: null, queued };
    if (run.state === 'success' || run.state === 'failed') return { runState: run.state, queued };
    const instances = await store.listTaskInstances(runId);
    const plan = planRun(dag as Dag<unknown>, instances);
    const now = env.clock.now();
    let changed = false;
    for (const { instance, state } of plan.settle) {
      changed = (await store.transition(instance, ['scheduled'], state, { endedAt: now })) || changed;
    }
    for (const taskId of plan.expand) changed = (await expand(dag, run.runId, taskId, env)) || changed;
    if (changed) continue;
    // One statement queues every ready try; the executor then gets them all at once (in priority order).
    const rank = new Map(plan.ready.map((ti, i) => [`${ti.taskId}|${ti.mapIndex}`, i]));
    const claimed = (await store.queueTries(runId, plan.ready.map((ti) => ({ taskId: ti.taskId, mapIndex: ti.mapIndex, fromTry: ti.tryNumber })), now))
      .sort((a, b) => rank.get(`${a.taskId}|${a.mapIndex}`)! - rank.get(`${b.taskId}|${b.mapIndex}`)!);
    await Promise.all(claimed.map((ti) => enqueue(ti, ti.tryNumber)));
    queued += claimed.length;
    if (plan.runState) {
      await store.setRunState(runId, ['queued', 'running'], plan.runState, now);
      const after = await store.getRun(runId);
      return { runState: after?.state === 'success' || after?.state === 'failed' ? after.state : null, queued };
    }
    return { runState: null, queued };
  }
  return { runState: null, queued };
}

/** Computes a mapped task's list and replaces its placeholder by one instance per item. */
async function expand<R>(dag: Dag<R>, runId: string, taskId: string, env: TaskEnvironment<R>): Promise<boolean> {
  const spec = dag.tasks.get(taskId)!;
  const run = (await env.store.getRun(runId))!;
  const key = { runId, taskId, mapIndex: -1 };
  const taskLog = createTaskLogger(env.store, key, 0);
  let items: readonly Json[];
  try {
    const ctx = buildContext(dag, run, key, 0, env, taskLog.log, new AbortController().signal);
    items = await spec.over!(ctx);
    if (!Array.isArray(items)) throw new TypeError(`'over' of ${dag.id}.${taskId} must return an array`);
    items = items.map((i) => JSON.parse(JSON.stringify(i ?? null)) as Json);
    taskLog.log.info(`expanded into ${items.length} item(s)`);
  } catch (error) {
    taskLog.log.error(`expansion failed: ${describeError(error)}`);
    await taskLog.flush();
    return env.store.transition(key, ['scheduled'], 'failed', { error: describeError(error), endedAt: env.clock.now() });
  }
  await taskLog.flush();
  const o = spec.options;
  const current = await env.store.getTaskInstance(key);
  const base = current ? current.tryNumber : 0;
  return env.store.expandMappedTask(runId, taskId, items.map((item, mapIndex) => ({
    taskId, mapIndex, mapItem: item, tryNumber: current?.tryNumber ?? 0, maxTries: base + o.retries + 1, pool: o.pool, priority: o.priority,
  })));
}
