/**
 * How many threads a fit or a batch prediction should use when the caller did not say. Threads
 * that meet at a barrier thousands of times a fit only pay off when each gets a core: on a machine
 * already running more than two runnable tasks per core, a worker waiting for a time slice stalls
 * the calling thread at every barrier, while one thread loses at most the parallel share. The
 * model is the same for any thread count, so this choice never changes results.
 */
import { availableParallelism, loadavg } from 'node:os';

/** Cores, or 1 when the 1-minute load average exceeds twice the number of cores. */
export function autoThreads(): number {
  const cores = availableParallelism();
  return (loadavg()[0] ?? 0) > 2 * cores ? 1 : cores;
}
