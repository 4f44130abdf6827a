import type { Dag, TriggerRule } from '../dag';
import { FINISHED_STATES, type RunState, type TaskInstanceRecord, type TaskState } from './states';

/** The state of a whole task (all its map items) as its downstream tasks see it. */
export type TaskOutcome = 'pending' | 'success' | 'failed' | 'upstream_failed' | 'skipped';

/** What to do next in a run; computed from the stored instances only, so any process can do it. */
export interface Plan {
  /** Instances whose upstream allows them to run now (plain tasks and expanded map items). */
  ready: TaskInstanceRecord[];
  /** Mapped tasks allowed to run but not expanded yet. */
  expand: string[];
  /** Instances to finish without running, and how. */
  settle: { instance: TaskInstanceRecord; state: 'skipped' | 'upstream_failed' }[];
  /** The run's final state once every instance is finished, else null. */
  runState: RunState | null;
}

const finished = (s: TaskState): boolean => FINISHED_STATES.includes(s);

/** The outcome of one task from its instances. */
export function taskOutcome(instances: readonly TaskInstanceRecord[], mapped: boolean): TaskOutcome {
  if (instances.length === 0) return 'pending';
  if (mapped && instances.length === 1 && instances[0]!.mapIndex === -1 && !finished(instances[0]!.state)) return 'pending';
  if (instances.some((i) => !finished(i.state))) return 'pending';
  if (instances.some((i) => i.state === 'failed')) return 'failed';
  if (instances.some((i) => i.state === 'upstream_failed')) return 'upstream_failed';
  if (instances.every((i) => i.state === 'skipped')) return 'skipped';
  return 'success';
}

/** Applies a trigger rule to the outcomes of the upstream tasks. */
export function evaluateTriggerRule(rule: TriggerRule, upstream: readonly TaskOutcome[]): 'run' | 'wait' | 'skipped' | 'upstream_failed' {
  if (upstream.length === 0) return 'run';
  const anyFailed = upstream.some((o) => o === 'failed' || o === 'upstream_failed');
  const allDone = upstream.every((o) => o !== 'pending');
  switch (rule) {
    case 'all_success':
      if (anyFailed) return 'upstream_failed';
      if (upstream.some((o) => o === 'skipped')) return 'skipped';
      return allDone ? 'run' : 'wait';
    case 'all_done':
      return allDone ? 'run' : 'wait';
    case 'one_failed':
      if (anyFailed) return 'run';
      return allDone ? 'skipped' : 'wait';
    case 'none_failed':
      if (anyFailed) return 'upstream_failed';
      return allDone ? 'run' : 'wait';
  }
}

/** Computes the next steps of a run from its DAG and its stored task instances. */
export function planRun(dag: Dag<unknown>, instances: readonly TaskInstanceRecord[]): Plan {
  const byTask = new Map<string, TaskInstanceRecord[]>();
  for (const i of instances) {
    const list = byTask.get(i.taskId) ?? [];
    list.push(i);
    byTask.set(i.taskId, list);
  }
  const outcome = new Map<string, TaskOutcome>();
  for (const id of dag.order) outcome.set(id, taskOutcome(byTask.get(id) ?? [], dag.tasks.get(id)?.over !== undefined));

  const plan: Plan = { ready: [], expand: [], settle: [], runState: null };
  for (const id of dag.order) {
    const spec = dag.tasks.get(id)!;
    const mine = byTask.get(id) ?? [];
    const waiting = mine.filter((i) => i.state === 'scheduled');
    if (waiting.length === 0) continue;
    const decision = evaluateTriggerRule(spec.options.triggerRule, spec.upstream.map((u) => outcome.get(u) ?? 'pending'));
    if (decision === 'wait') continue;
    if (decision === 'run') {
      if (spec.over && waiting.some((i) => i.mapIndex === -1)) plan.expand.push(id);
      else plan.ready.push(...waiting);
    } else {
      for (const instance of waiting) plan.settle.push({ instance, state: decision });
    }
  }
  plan.ready.sort((a, b) => b.priority - a.priority || dag.order.indexOf(a.taskId) - dag.order.indexOf(b.taskId) || a.mapIndex - b.mapIndex);
  if (instances.length > 0 && instances.every((i) => finished(i.state)) && plan.settle.length === 0) {
    plan.runState = instances.some((i) => i.state === 'failed' || i.state === 'upstream_failed') ? 'failed' : 'success';
  }
  return plan;
}
