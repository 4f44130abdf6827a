import type { Json, RunType } from '../dag';

/** Airflow's task-instance states. */
export type TaskState = 'scheduled' | 'queued' | 'running' | 'success' | 'failed' | 'up_for_retry' | 'upstream_failed' | 'skipped';

/** States after which a task instance does nothing more (until cleared). */
export const FINISHED_STATES: readonly TaskState[] = ['success', 'failed', 'upstream_failed', 'skipped'];

/** A DAG run's state. */
export type RunState = 'queued' | 'running' | 'success' | 'failed';

/** A DAG run as stored in `orchestrator.dag_runs`. */
export interface DagRunRecord {
  runId: string;
  dagId: string;
  /** Start of the data interval. */
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  runType: RunType;
  conf: Record<string, unknown>;
  state: RunState;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  deadlineAt: Date | null;
  deadlineAlertedAt: Date | null;
}

/** A task instance as stored in `orchestrator.task_instances`. */
export interface TaskInstanceRecord {
  runId: string;
  taskId: string;
  /** -1 for a plain task (or a mapped task not yet expanded), 0..n-1 for map items. */
  mapIndex: number;
  mapItem: Json | null;
  state: TaskState;
  /** Number of the latest try (0 before the first one is queued). */
  tryNumber: number;
  /** Tries allowed in total, counting the ones before a clear. */
  maxTries: number;
  pool: string;
  priority: number;
  hostname: string | null;
  pid: number | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  nextTryAt: Date | null;
  error: string | null;
  /** While running: when the lease of the process running it expires unless renewed (Postgres time). */
  leaseExpiresAt: Date | null;
}

/** The key of a task instance. */
export interface TaskKey {
  runId: string;
  taskId: string;
  mapIndex: number;
}

/** Deterministic, readable run id: `<dag>@<logical date, ISO, UTC>`. */
export function runIdFor(dagId: string, logicalDate: Date): string {
  return `${dagId}@${logicalDate.toISOString().replace(/\.000Z$/, 'Z')}`;
}

/** A readable name of a task instance (`extract[2]`). */
export function taskLabel(key: { taskId: string; mapIndex: number }): string {
  return key.mapIndex < 0 ? key.taskId : `${key.taskId}[${key.mapIndex}]`;
}
