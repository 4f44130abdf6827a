import type { Dag, Json, TaskContext } from '../dag';
import { DEFAULT_LEASE_MS } from './lease';
import { expireTries } from './lease-sweep';
import { advanceRun } from './run-advancer';
import type { TaskInstanceRecord } from './states';
import { runTaskTry, type TaskEnvironment } from './task-runner';

/** Wakes a driver up when something outside it changed its run (a retry handed over, a clear). */
export class RunNudge {
  private pending = false;
  private waiter: (() => void) | undefined;

  /** Asks the driver to look at the store again. */
  wake(): void {
    this.pending = true;
    this.waiter?.();
  }

  /** Whether a wake came since the last call (and forgets it). */
  take(): boolean {
    const pending = this.pending;
    this.pending = false;
    return pending;
  }

  /** Resolves at the next wake (at once if one is pending). */
  next(): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = () => {
        this.waiter = undefined;
        resolve();
      };
    });
  }
}

/** Options of {@link driveRunInline}. */
export interface DriveOptions {
  /** Waits between tries (a retry's backoff); tests pass one that advances a fake clock. @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Concurrency per pool. @defaultValue 4 for every pool */
  pools?: Record<string, number>;
  nudge?: RunNudge;
  /**
   * Runs `cpu: true` tasks off this event loop (a worker thread: {@link cpuThreadExecutor}), so
   * that lease renewals and the database pool keep being served during a long computation.
   * Without it they run on this event loop.
   */
  executeCpuTask?: CpuTaskExecutor;
}

/** Runs one try of a `cpu: true` task elsewhere than on the event loop. */
export type CpuTaskExecutor = <R>(dag: Dag<R>, ctx: TaskContext<R>, item: Json | undefined) => Promise<Json | void>;

/** Fresh advances tried before a run with nothing ready nor running is declared stuck. */
const MAX_STALLS = 3;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (ti: { taskId: string; mapIndex: number }): string => `${ti.taskId}|${ti.mapIndex}`;

/**
 * Runs the queued and ready tasks of an existing run in this process until it ends. Tries left
 * by another process are picked up from the store: queued ones and due retries are run here; a
 * running one is left to its process while its lease lives, and recorded as lost (then retried by
 * its policy) once the lease has expired.
 */
export async function driveRunInline<R>(dag: Dag<R>, runId: string, env: TaskEnvironment<R>, options: DriveOptions = {}): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const waiting: { ti: TaskInstanceRecord; tryNumber: number }[] = [];
  /** Instances with a try waiting, running or in its backoff in this driver. */
  const tracked = new Set<string>();
  const busy = new Map<string, number>();
  const active = new Set<Promise<void>>();
  const limit = (pool: string): number => Math.max(1, options.pools?.[pool] ?? 4);
  const pollMs = Math.max(20, Math.floor((env.leaseMs ?? DEFAULT_LEASE_MS) / 4));
  let fatal: unknown;

  const track = (p: Promise<void>): void => {
    active.add(p);
    void p.finally(() => active.delete(p));
  };
  const submit = (ti: TaskInstanceRecord, tryNumber: number): void => {
    tracked.add(keyOf(ti));
    waiting.push({ ti, tryNumber });
  };
  const later = (ti: TaskInstanceRecord, tryNumber: number, at: Date | null): void => {
    tracked.add(keyOf(ti));
    track((async () => {
      await sleep(Math.max(0, (at?.getTime() ?? 0) - env.clock.now().getTime()));
      waiting.push({ ti, tryNumber });
    })());
  };

  /** Takes what the store has that this driver does not; returns how many tries run elsewhere. */
  const pickUp = async (): Promise<number> => {
    for (const { instance, outcome } of await expireTries(new Map([[dag.id, dag]]), env, { runId })) {
      if (outcome.state === 'up_for_retry' && !tracked.has(keyOf(instance))) later(instance, instance.tryNumber + 1, outcome.nextTryAt);
    }
    let elsewhere = 0;
    for (const ti of await env.store.listTaskInstances(runId)) {
      if (tracked.has(keyOf(ti))) continue;
      if (ti.state === 'queued') submit(ti, ti.tryNumber);
      else if (ti.state === 'up_for_retry') later(ti, ti.tryNumber + 1, ti.nextTryAt);
      else if (ti.state === 'running') elsewhere++;
    }
    return elsewhere;
  };

  const start = (ti: TaskInstanceRecord, tryNumber: number): void => {
    busy.set(ti.pool, (busy.get(ti.pool) ?? 0) + 1);
    track((async () => {
      try {
        const cpu = options.executeCpuTask && dag.tasks.get(ti.taskId)?.options.cpu ? options.executeCpuTask : undefined;
        const outcome = await runTaskTry(dag, ti, tryNumber, env, cpu ? { execute: (ctx, item) => cpu(dag, ctx, item) } : {});
        if (outcome.state === 'up_for_retry') later(ti, tryNumber + 1, outcome.nextTryAt);
        else tracked.delete(keyOf(ti));
      } catch (error) {
        // The store itself failed (database gone): stop, leaving the run resumable.
        fatal ??= error;
        tracked.delete(keyOf(ti));
      } finally {
        busy.set(ti.pool, (busy.get(ti.pool) ?? 1) - 1);
      }
    })());
  };

  await pickUp();
  let stalls = 0;
  for (;;) {
    if (fatal !== undefined) {
      await Promise.allSettled([...active]);
      throw fatal;
    }
    const { runState } = await advanceRun(dag, runId, env, async (ti, tryNumber) => submit(ti, tryNumber));
    waiting.sort((a, b) => b.ti.priority - a.ti.priority);
    for (let i = 0; i < waiting.length; ) {
      const next = waiting[i]!;
      if ((busy.get(next.ti.pool) ?? 0) < limit(next.ti.pool)) {
        waiting.splice(i, 1);
        start(next.ti, next.tryNumber);
      } else i++;
    }
    if (runState && active.size === 0) return;
    if (options.nudge?.take()) {
      await pickUp();
      continue;
    }
    if (active.size === 0) {
      if (waiting.length > 0) continue;
      const elsewhere = await pickUp();
      if (waiting.length > 0 || active.size > 0) continue;
      // A decision taken while two tries ended at once may have missed a task made ready by both:
      // advance again from the committed state a few times before calling the run stuck.
      if (elsewhere === 0 && stalls < MAX_STALLS) {
        stalls++;
        await realSleep(Math.min(pollMs, 200));
        continue;
      }
      if (elsewhere === 0) {
        const states = (await env.store.listTaskInstances(runId)).map((ti) => `${ti.taskId}${ti.mapIndex >= 0 ? `[${ti.mapIndex}]` : ''}=${ti.state}#${ti.tryNumber}`);
        throw new Error(`run ${runId} cannot make progress (no task ready, none running): ${states.join(', ')}`);
      }
      // Tries held by another live process: wait for them to end, or for their lease to expire.
      await Promise.race([realSleep(pollMs), ...(options.nudge ? [options.nudge.next()] : [])]);
      continue;
    }
    stalls = 0;
    await Promise.race([...active, ...(options.nudge ? [options.nudge.next()] : [])]);
  }
}
