/** The orchestrator: run state, planning, executors, scheduler. Knows nothing about the domain. */
export * from './states';
export type { RunStore, NewRun, NewTaskInstance, TaskPatch, TaskLogLine, AlertRecord } from './run-store';
export { PgRunStore } from './pg-run-store';
export { planRun, evaluateTriggerRule, taskOutcome, type Plan, type TaskOutcome } from './planner';
export { runTaskTry, recordFailure, TryLostError, buildContext, describeError, MAX_RESULT_BYTES, type TaskEnvironment, type TryOutcome } from './task-runner';
export { advanceRun, initialInstances, type Enqueue, type AdvanceResult } from './run-advancer';
export { runDag, driveRunInline, createOrClearRun, resolveInterval, type RunDagOptions, type RunReport } from './inline-executor';
export { loadDagRegistry, registryOf, listDagFiles, DAGS_DIR, type DagRegistry } from './dag-registry';
export type { ResourcesFactory, ClosableResources } from './resources';
export { startRun, waitForRun } from './run-driver';
export { BullmqExecutor } from './bullmq/bullmq-executor';
export { startWorker, type WorkerOptions, type RunningWorker } from './bullmq/bullmq-worker';
export { jobIdFor, queueName, openRedis, type RedisTarget, type TryJobData } from './bullmq/connection';
export { Scheduler, type SchedulerOptions, type SchedulerExecutor, type TickReport } from './scheduler';
export { checkDeadlines, missedDeadline, withDeadlineWatch, type AlertSink, type DeadlineWatchOptions } from './alerts';
export { cpuThreadExecutor, type CpuThreadOptions } from './cpu-thread';
