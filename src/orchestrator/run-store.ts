import type { Json, RunType } from '../dag';
import type { DagRunRecord, RunState, TaskInstanceRecord, TaskKey, TaskState } from './states';

/** A new run to record. */
export interface NewRun {
  dagId: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  runType: RunType;
  conf: Record<string, unknown>;
  deadlineAt: Date | null;
}

/** A task instance to create (ignored if it exists). */
export interface NewTaskInstance {
  taskId: string;
  mapIndex: number;
  mapItem?: Json;
  maxTries: number;
  pool: string;
  priority: number;
  /** Tries already made (a cleared mapped task keeps counting). @defaultValue 0 */
  tryNumber?: number;
}

/** Fields a state change may set. */
export type TaskPatch = Partial<Pick<TaskInstanceRecord, 'tryNumber' | 'hostname' | 'pid' | 'queuedAt' | 'startedAt' | 'endedAt' | 'durationMs' | 'nextTryAt' | 'error' | 'maxTries'>>;

/** A stored log line. */
export interface TaskLogLine {
  tryNumber: number;
  mapIndex: number;
  loggedAt: Date;
  level: string;
  line: string;
}

/** Who claims a try, and for how long (see {@link RunStore.claimTry}). */
export interface TryClaim {
  hostname: string;
  pid: number;
  at: Date;
  /** The lease: the try is the claimer's for this long unless renewed. */
  leaseMs: number;
  /** The task's timeout: past it (plus one lease) the scheduler fails the try. */
  timeoutMs: number;
}

/** A running try that is no longer anyone's: its lease expired, or it ran past its timeout. */
export interface ExpiredTry extends TaskInstanceRecord {
  dagId: string;
  /** What expired: the lease (its process stopped renewing it) or the timeout. */
  expired: 'lease' | 'timeout';
}

/** A raised alert. */
export interface AlertRecord {
  id: number;
  dagId: string;
  runId: string | null;
  kind: string;
  message: string;
  raisedAt: Date;
}

/**
 * Where the orchestrator keeps its state. Every state change is a compare-and-set
 * ({@link RunStore.transition}), so two processes never both move a task forward.
 */
export interface RunStore {
  /** Records a run with its task instances; null when (dag, logical date) already has one. */
  createRun(run: NewRun, instances: readonly NewTaskInstance[]): Promise<DagRunRecord | null>;
  getRun(runId: string): Promise<DagRunRecord | undefined>;
  findRun(dagId: string, logicalDate: Date): Promise<DagRunRecord | undefined>;
  /** Runs, newest logical date first. */
  listRuns(filter?: { dagId?: string; states?: RunState[]; limit?: number }): Promise<DagRunRecord[]>;
  /** The latest logical date of a DAG's scheduled or backfill runs. */
  latestLogicalDate(dagId: string, runTypes?: RunType[]): Promise<Date | null>;
  /** Moves a run to `state` if it is in one of `from`; returns whether it did. */
  setRunState(runId: string, from: readonly RunState[], state: RunState, at: Date): Promise<boolean>;
  listTaskInstances(runId: string): Promise<TaskInstanceRecord[]>;
  /** Instances of a run not finished yet (cheap check before a full advance). */
  countUnfinished(runId: string): Promise<number>;
  getTaskInstance(key: TaskKey): Promise<TaskInstanceRecord | undefined>;
  /** Replaces a mapped task's placeholder by its items (or skips it for an empty list), atomically. */
  expandMappedTask(runId: string, taskId: string, items: readonly NewTaskInstance[]): Promise<boolean>;
  /**
   * Starts try `tryNumber` if it is queued (or, for a retry, if the previous try is up for retry),
   * with a lease of `by.leaseMs` from now (Postgres time); returns the instance as claimed, or
   * undefined when another process has it or it moved on.
   */
  claimTry(key: TaskKey, tryNumber: number, by: TryClaim): Promise<TaskInstanceRecord | undefined>;
  /**
   * Extends the lease of try `tryNumber` to `leaseMs` from now (Postgres time); false when the try
   * is no longer running (failed by the sweep, cleared, finished): its process must stop it.
   */
  renewLease(key: TaskKey, tryNumber: number, leaseMs: number): Promise<boolean>;
  /** Running tries whose lease expired or that ran past their timeout, by Postgres time. */
  findExpiredTries(filter?: { runId?: string }): Promise<ExpiredTry[]>;
  /**
   * Queues the next try of each instance still `scheduled` at try `fromTry` (one statement);
   * returns the instances it queued, with their new try number. Others moved on meanwhile.
   */
  queueTries(runId: string, items: readonly { taskId: string; mapIndex: number; fromTry: number }[], at: Date): Promise<TaskInstanceRecord[]>;
  /** Compare-and-set of a task instance's state; `fromTry` also pins the try number. */
  transition(key: TaskKey, from: readonly TaskState[], to: TaskState, patch?: TaskPatch, fromTry?: number): Promise<boolean>;
  /**
   * Resets instances to `scheduled` for a new try, keeping try numbers; drops their results.
   * Refuses (ConflictError, nothing cleared) when one of them is running: a task never has two
   * tries at once.
   */
  clearTasks(runId: string, taskIds: readonly string[], retriesOf: (taskId: string) => number): Promise<number>;
  /** Instances in a state across runs (stuck-task sweeps, due retries). */
  findTaskInstances(filter: { states: TaskState[]; before?: Date; runStates?: RunState[] }): Promise<TaskInstanceRecord[]>;
  appendLogs(key: TaskKey, lines: readonly { tryNumber: number; level: string; line: string; at: Date }[]): Promise<void>;
  readLogs(runId: string, taskId: string, options?: { tryNumber?: number; mapIndex?: number }): Promise<TaskLogLine[]>;
  putResult(key: TaskKey, value: Json): Promise<void>;
  /** Results of a task, by map index (-1 for a plain task). */
  getResults(runId: string, taskId: string): Promise<{ mapIndex: number; value: Json }[]>;
  isPaused(dagId: string): Promise<boolean | undefined>;
  setPaused(dagId: string, paused: boolean): Promise<void>;
  /**
   * Runs `fn` only if no other process is running it under the same lock (a Postgres advisory
   * lock held for the duration); returns undefined when the lock is taken.
   */
  exclusively<T>(lockId: number, fn: () => Promise<T>): Promise<T | undefined>;
  /** Marks a run's deadline as alerted; false when another process already did. */
  markDeadlineAlerted(runId: string, at: Date): Promise<boolean>;
  addAlert(alert: { dagId: string; runId: string | null; kind: string; message: string; at: Date }): Promise<void>;
  listAlerts(filter?: { dagId?: string; limit?: number }): Promise<AlertRecord[]>;
}
