import type { Logger } from '../core/log';

/** A JSON value: what task results, map items and run `conf` may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * When a task runs, given the states of its upstream tasks (as in Airflow):
 * - `all_success`: every upstream succeeded (a failed one makes it `upstream_failed`, a skipped one `skipped`);
 * - `all_done`: every upstream finished, whatever the outcome;
 * - `one_failed`: at least one upstream failed (else `skipped` once all are done);
 * - `none_failed`: every upstream finished and none failed (skipped ones are fine).
 */
export type TriggerRule = 'all_success' | 'all_done' | 'one_failed' | 'none_failed';

/** Why a run exists. */
export type RunType = 'scheduled' | 'manual' | 'backfill';

/** Options of a task; unset ones come from the DAG's `defaults`, then from the built-in defaults. */
export interface TaskOptions {
  /** Tries after the first one. @defaultValue 0 */
  retries?: number;
  /** Wait before the first retry. @defaultValue 30_000 */
  retryDelayMs?: number;
  /** Factor applied to the wait at each further retry (1 = constant). @defaultValue 2 */
  retryBackoff?: number;
  /** Upper bound of the wait between tries. @defaultValue 600_000 */
  maxRetryDelayMs?: number;
  /** A try running longer is aborted (its `signal` fires) and fails. @defaultValue 3_600_000 */
  timeoutMs?: number;
  /** Named concurrency limit the task runs in. @defaultValue 'default' */
  pool?: string;
  /** Higher runs first when several tasks are ready. @defaultValue 0 */
  priority?: number;
  /** @defaultValue 'all_success' */
  triggerRule?: TriggerRule;
  /** The task computes for long stretches: executors run it off the event loop. @defaultValue false */
  cpu?: boolean;
}

/** {@link TaskOptions} with every field resolved. */
export type ResolvedTaskOptions = Required<TaskOptions>;

/** What a task receives when it runs. */
export interface TaskContext<R> {
  readonly dagId: string;
  readonly runId: string;
  readonly taskId: string;
  /** Index in the list of a mapped task; undefined for a plain task. */
  readonly mapIndex?: number;
  /** The start of the data interval (Airflow's logical date). */
  readonly logicalDate: Date;
  /** `YYYY-MM-DD` of the logical date in the DAG's time zone. */
  readonly ds: string;
  /** The period this run covers: `[start, end)`; a scheduled run starts once `end` has passed. */
  readonly dataInterval: { readonly start: Date; readonly end: Date };
  readonly runType: RunType;
  /** Parameters given when the run was triggered (`--conf`). */
  readonly conf: Readonly<Record<string, unknown>>;
  /** 1 for the first try. */
  readonly tryNumber: number;
  /** Lines are stored with the task instance (viewable with `relance tasks logs`), redacted. */
  readonly log: Logger;
  /** Aborted when the try exceeds its timeout (the try then fails and is retried). */
  readonly signal: AbortSignal;
  /** What the process running the task built for the DAGs (database, config…). */
  readonly resources: R;
  /**
   * The stored result of another task of this run: its JSON value, an array (by map index) for a
   * mapped task, undefined when it has none.
   */
  upstream(taskId: string): Promise<Json | undefined>;
}

/** A task's body; its return value (small JSON) is stored and readable downstream. */
export type TaskFn<R> = (ctx: TaskContext<R>) => Promise<Json | void> | Json | void;

/** A mapped task's body, called once per item. */
export type MappedTaskFn<R, T extends Json> = (ctx: TaskContext<R>, item: T) => Promise<Json | void> | Json | void;

/** A task as the orchestrator sees it once the DAG is defined. */
export interface TaskSpec<R> {
  readonly id: string;
  readonly options: ResolvedTaskOptions;
  /** Ids of the tasks this one waits for. */
  readonly upstream: readonly string[];
  /** Present for a mapped task: computes the list at run time, once its upstream tasks are done. */
  readonly over?: (ctx: TaskContext<R>) => Promise<readonly Json[]> | readonly Json[];
  /** Runs one try; `item` is the map item for a mapped task. */
  readonly run: (ctx: TaskContext<R>, item: Json | undefined) => Promise<Json | void> | Json | void;
}
