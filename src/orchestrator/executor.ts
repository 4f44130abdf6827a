import type { Dag } from '../dag';
import type { TaskInstanceRecord } from './states';
import type { TaskEnvironment } from './task-runner';

/**
 * How tries get run: the port the scheduler drives, owned by the orchestrator. The inline
 * executor runs them in this process (embedded mode); the BullMQ executor queues them for worker
 * processes. Both pass the same behaviour suite. Every method is safe to call again: tries are
 * claimed in the run store (compare-and-set), so handing a try over twice runs it once.
 */
export interface Executor {
  /** A short name for logs: `inline`, `bullmq`. */
  readonly name: string;
  /** Starts a queued run: marks it running and has its first tries run. */
  start<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): Promise<void>;
  /**
   * Gets a running run going again after something was lost (a process, a job, a message):
   * advances it from the store and hands over again the tries nobody has. The scheduler's sweep
   * calls it for every running run. Returns how many tries it handed over again.
   */
  recover<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>): Promise<number>;
  /**
   * Hands over try `tryNumber` of an instance after `delayMs`: the retry of a try the sweep
   * failed (its lease expired or it ran past its timeout).
   */
  retry<R>(dag: Dag<R>, instance: TaskInstanceRecord, tryNumber: number, delayMs: number, env: TaskEnvironment<R>): Promise<void>;
  /** Resolves once no run is being driven in this process (at once for a queue). */
  idle(): Promise<void>;
  /** Waits for the work in progress in this process, then releases connections. */
  stop(): Promise<void>;
}
