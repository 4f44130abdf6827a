import type { Dag } from '../dag';
import { advanceRun, type Enqueue } from './run-advancer';
import type { RunStore } from './run-store';
import type { DagRunRecord } from './states';
import type { TaskEnvironment } from './task-runner';

/**
 * Starts a queued run on a queue-based executor: marks it running and queues its first tasks.
 * Workers advance it from there; the scheduler's sweep advances it again if a worker died
 * between finishing a task and queuing the next ones.
 */
export async function startRun<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>, enqueue: Enqueue): Promise<void> {
  await env.store.setRunState(runId, ['queued'], 'running', env.clock.now());
  await advanceRun(dag, runId, env, enqueue);
}

/** Waits (polling the store) until a run has ended, and returns it. */
export async function waitForRun(store: RunStore, runId: string, options: { pollMs?: number; timeoutMs?: number } = {}): Promise<DagRunRecord> {
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  for (;;) {
    const run = await store.getRun(runId);
    if (!run) throw new Error(`run ${runId} does not exist`);
    if (run.state === 'success' || run.state === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.state} after ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
}
