/** The authoring API of `dags/*.ts`: pure declarations, no I/O. */
export { defineDag, applyDagSettings, type Dag, type DagOptions, type DagBuilder, type TaskHandle, type DagSettings } from './define-dag';
export type { Json, TriggerRule, RunType, TaskOptions, ResolvedTaskOptions, TaskContext, TaskFn, MappedTaskFn, TaskSpec } from './types';
export { parseCron, type CronSchedule } from './cron';
export { resolveTaskOptions, retryDelay, shouldRetry, TASK_DEFAULTS } from './retry-policy';
export { topologicalOrder } from './validate';
export { intervalForDate, intervalStartingAt, intervalContaining, parseIsoDate, firstLogicalDate, dueIntervals, deadlineFor, type DataInterval, type ScheduledDag } from './intervals';
export { localIsoDate, fromLocal, toLocal } from './zoned-time';
