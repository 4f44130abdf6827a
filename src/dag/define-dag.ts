import { DagDefinitionError } from '../core/errors';
import { parseCron, type CronSchedule } from './cron';
import { resolveTaskOptions } from './retry-policy';
import { topologicalOrder } from './validate';
import type { Json, MappedTaskFn, ResolvedTaskOptions, TaskContext, TaskFn, TaskOptions, TaskSpec } from './types';

/** How a DAG is declared (the first argument of {@link defineDag}). */
export interface DagOptions {
  /** Unique id: letters, digits and `_`. */
  id: string;
  /** Cron expression (5 fields) read in `timezone`, or null for a DAG that runs only when triggered. */
  schedule: string | null;
  /** IANA time zone of the schedule and the deadline. @defaultValue 'UTC' */
  timezone?: string;
  /** `YYYY-MM-DD` (local date): no scheduled interval starts before it. */
  startDate: string;
  /** Whether the scheduler runs intervals missed while it was down. @defaultValue false */
  catchup?: boolean;
  /** Runs of this DAG that may be active at once. @defaultValue 1 */
  maxActiveRuns?: number;
  /** @defaultValue [] */
  tags?: string[];
  /** Local time `HH:MM` by which a run should have finished; a miss raises an alert. */
  deadline?: string;
  /** Task options applied to every task unless it sets its own. */
  defaults?: TaskOptions;
  /** One line for `relance dags list`. */
  description?: string;
}

/** A defined, validated DAG. */
export interface Dag<R = unknown> {
  readonly id: string;
  readonly schedule: string | null;
  readonly timezone: string;
  readonly startDate: string;
  readonly catchup: boolean;
  readonly maxActiveRuns: number;
  readonly tags: readonly string[];
  readonly deadline?: string;
  readonly paused: boolean;
  readonly description?: string;
  /** The parsed schedule, null when the DAG is only triggered. */
  readonly cron: CronSchedule | null;
  readonly tasks: ReadonlyMap<string, TaskSpec<R>>;
  /** Task ids in a topological order (upstream first, ties by declaration order). */
  readonly order: readonly string[];
  /** The declaration, kept to re-apply settings (see applyDagSettings). */
  readonly declaration: { options: DagOptions; build: (dag: DagBuilder<R>) => void };
}

/** A handle on a declared task, for wiring. */
export interface TaskHandle {
  readonly id: string;
  /** Makes `downstream` wait for this task; returns the last handle, so calls chain. */
  then<T extends TaskHandle | TaskHandle[]>(downstream: T): T;
  /** Makes this task wait for `upstream`. */
  after(...upstream: (TaskHandle | TaskHandle[])[]): TaskHandle;
}

/** What the build function of {@link defineDag} receives. */
export interface DagBuilder<R> {
  /** Declares a task. */
  task(id: string, fn: TaskFn<R>): TaskHandle;
  task(id: string, options: TaskOptions, fn: TaskFn<R>): TaskHandle;
  /** Declares a task run once per item of a list computed at run time. */
  mappedTask<T extends Json>(id: string, options: TaskOptions & { over: (ctx: TaskContext<R>) => Promise<readonly T[]> | readonly T[] }, fn: MappedTaskFn<R, T>): TaskHandle;
  /** Wires each element to the next: `chain(a, [b, c], d)`. */
  chain(...steps: (TaskHandle | TaskHandle[])[]): void;
}

const ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Declares a DAG. Nothing runs: the build function only declares tasks and wiring, and the
 * result is validated at once (cycles, unknown dependencies, duplicate ids, bad cron, bad
 * options), with an error naming the DAG and the task.
 */
export function defineDag<R = unknown>(options: DagOptions, build: (dag: DagBuilder<R>) => void): Dag<R> {
  const where = `dag ${options.id}`;
  if (typeof options.id !== 'string' || !/^[A-Za-z0-9_]+$/.test(options.id)) throw new DagDefinitionError(`${where}: id must be letters, digits and _`, { context: { dagId: String(options.id) } });
  const timezone = options.timezone ?? 'UTC';
  const ctx = { dagId: options.id };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate ?? '')) throw new DagDefinitionError(`${where}: startDate must be YYYY-MM-DD`, { context: ctx });
  const cron = options.schedule === null ? null : wrap(where, () => parseCron(options.schedule as string, timezone, `${where}: schedule`));
  if (options.deadline !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(options.deadline)) throw new DagDefinitionError(`${where}: deadline must be HH:MM`, { context: ctx });
  const maxActiveRuns = options.maxActiveRuns ?? 1;
  if (!Number.isInteger(maxActiveRuns) || maxActiveRuns < 1) throw new DagDefinitionError(`${where}: maxActiveRuns must be a positive integer`, { context: ctx });
  wrap(where, () => resolveTaskOptions(`${where}: defaults`, options.defaults));

  const declared = new Map<string, { upstream: Set<string>; options: ResolvedTaskOptions; run: TaskSpec<R>['run']; over?: TaskSpec<R>['over'] }>();
  const handle = (id: string): TaskHandle => {
    const h: TaskHandle = {
      id,
      then(downstream) {
        for (const d of Array.isArray(downstream) ? downstream : [downstream]) declared.get(d.id)?.upstream.add(id);
        return downstream;
      },
      after(...upstream) {
        for (const u of upstream.flat()) declared.get(id)?.upstream.add(u.id);
        return h;
      },
    };
    return h;
  };
  const add = (id: string, taskOptions: TaskOptions, run: TaskSpec<R>['run'], over?: TaskSpec<R>['over']): TaskHandle => {
    const taskCtx = { dagId: options.id, taskId: id };
    if (typeof id !== 'string' || !ID.test(id)) throw new DagDefinitionError(`${where}: task id '${id}' must be letters, digits, _ . -`, { context: taskCtx });
    if (declared.has(id)) throw new DagDefinitionError(`${where}: task '${id}' is declared twice`, { context: taskCtx });
    const resolved = resolveTaskOptions(`${where}, task ${id}`, options.defaults, taskOptions);
    declared.set(id, { upstream: new Set(), options: resolved, run, over });
    return handle(id);
  };
  const builder: DagBuilder<R> = {
    task(id: string, a: TaskOptions | TaskFn<R>, b?: TaskFn<R>) {
      const fn = (typeof a === 'function' ? a : b) as TaskFn<R>;
      if (typeof fn !== 'function') throw new DagDefinitionError(`${where}: task '${id}' has no function`, { context: { ...ctx, taskId: id } });
      return add(id, typeof a === 'function' ? {} : a, (c) => fn(c));
    },
    mappedTask(id, { over, ...taskOptions }, fn) {
      if (typeof over !== 'function') throw new DagDefinitionError(`${where}: mapped task '${id}' needs an 'over' function`, { context: { ...ctx, taskId: id } });
      return add(id, taskOptions, (c, item) => fn(c, item as never), over);
    },
    chain(...steps) {
      for (let i = 1; i < steps.length; i++) {
        for (const up of [steps[i - 1]!].flat()) up.then(steps[i]!);
      }
    },
  };
  build(builder);
  if (declared.size === 0) throw new DagDefinitionError(`${where}: declares no task`, { context: ctx });

  const upstreamOf = new Map([...declared].map(([id, d]) => [id, [...d.upstream]]));
  const order = topologicalOrder(options.id, upstreamOf);
  const tasks = new Map<string, TaskSpec<R>>();
  for (const id of order) {
    const d = declared.get(id)!;
    tasks.set(id, Object.freeze({ id, options: d.options, upstream: Object.freeze([...d.upstream]), run: d.run, ...(d.over ? { over: d.over } : {}) }));
  }
  return Object.freeze({
    id: options.id, schedule: options.schedule, timezone, startDate: options.startDate, catchup: options.catchup ?? false,
    maxActiveRuns, tags: Object.freeze([...(options.tags ?? [])]), deadline: options.deadline, paused: false, description: options.description,
    cron, tasks, order: Object.freeze(order), declaration: { options, build },
  });
}

function wrap<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DagDefinitionError) throw error;
    throw new DagDefinitionError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

/** Per-DAG settings from `config.dags[id]` (same shape as the config schema's). */
export interface DagSettings {
  schedule?: string;
  timezone?: string;
  catchup?: boolean;
  paused?: boolean;
  retries?: number;
  deadline?: string;
}

/**
 * The DAG with the IT team's settings applied (schedule, time zone, catchup, deadline, paused, and
 * retries as the default of every task); re-validated, so a bad cron in the config fails at load
 * too. A task that declares its own retries keeps them: `retries: 0` on a monitoring task says a
 * retry cannot help, which a DAG-wide setting must not undo.
 */
export function applyDagSettings<R>(dag: Dag<R>, settings: DagSettings | undefined): Dag<R> {
  if (!settings) return dag;
  const o = dag.declaration.options;
  const next = defineDag<R>({
    ...o,
    schedule: settings.schedule ?? o.schedule,
    timezone: settings.timezone ?? o.timezone,
    catchup: settings.catchup ?? o.catchup,
    deadline: settings.deadline ?? o.deadline,
    defaults: { ...o.defaults, ...(settings.retries !== undefined ? { retries: settings.retries } : {}) },
  }, dag.declaration.build);
  return Object.freeze({ ...next, paused: settings.paused ?? false });
}
