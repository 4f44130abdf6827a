/**
 * {@link PipelineControl} on the orchestrator: a trigger records a queued manual run (through the
 * trigger rules of `src/orchestrator/trigger.ts`) and a clear resets task instances (and their
 * downstream tasks) to be run again. A running scheduler starts them; without one (embedded
 * mode), this process admits them within `maxActiveRuns` and `drive` runs them, the next queued
 * run starting when one ends.
 */
import type { Dag } from '../dag';
import { systemClock, type Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { recordTriggeredRun, type DagRegistry, type RunStore } from '../orchestrator';
import type { PipelineControl } from './pipeline-control';

/** Options of {@link orchestratorControl}. */
export interface OrchestratorControlOptions<R> {
  registry: DagRegistry<R>;
  store: RunStore;
  log: Logger;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** Runs a queued run to its end in this process; absent when a scheduler does it. */
  drive?: (dag: Dag<R>, runId: string) => Promise<void>;
}

/** The tasks downstream of `taskIds` (themselves included), in the DAG's order. */
export function withDownstream<R>(dag: Dag<R>, taskIds: readonly string[]): string[] {
  const chosen = new Set(taskIds);
  for (const id of dag.order) {
    if (chosen.has(id)) continue;
    if ((dag.tasks.get(id)?.upstream ?? []).some((u) => chosen.has(u))) chosen.add(id);
  }
  return dag.order.filter((id) => chosen.has(id));
}

/** Triggers and clears runs through the run store. */
export function orchestratorControl<R>(options: OrchestratorControlOptions<R>): PipelineControl {
  const { registry, store, log } = options;
  const clock = options.clock ?? systemClock;
  /** Starts the queued runs there is room for and drives them; each one's end makes room for the next. */
  const admit = async (dag: Dag<R>): Promise<string[]> => {
    if (!options.drive) return [];
    const admitted = await store.admitQueuedRuns(dag.id, dag.maxActiveRuns, clock.now());
    for (const runId of admitted) {
      options.drive(dag, runId)
        .catch((error: unknown) => log.error('run driven from the API failed', { runId, error }))
        .then(() => admit(dag))
        .catch((error: unknown) => log.error('starting the next queued run failed', { dagId: dag.id, error }));
    }
    return admitted;
  };
  return {
    dagIds: () => [...registry.dags.keys()].sort(),
    async trigger(dagId, request) {
      const dag = registry.get(dagId);
      const run = await recordTriggeredRun(dag, store, { logicalDate: request.logicalDate, conf: { ...request.conf, requestedBy: request.requestedBy }, runType: 'manual', force: request.force }, clock);
      const started = (await admit(dag)).includes(run.runId);
      return { runId: run.runId, dagId, logicalDate: run.logicalDate.toISOString(), state: started ? 'running' : 'queued' };
    },
    async clear(runId, request) {
      const run = await store.getRun(runId);
      if (!run) return 0;
      const dag = registry.get(run.dagId);
      const instances = await store.listTaskInstances(runId);
      const roots = request.taskIds ?? [...new Set(instances.filter((t) => t.state === 'failed' || t.state === 'upstream_failed').map((t) => t.taskId))];
      if (roots.length === 0) return 0;
      const ids = request.downstream === false ? roots.filter((id) => dag.tasks.has(id)) : withDownstream(dag, roots);
      const cleared = await store.clearTasks(runId, ids, (id) => dag.tasks.get(id)?.options.retries ?? 0);
      if (cleared > 0) await admit(dag);
      return cleared;
    },
  };
}
