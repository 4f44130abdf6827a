/**
 * How many threads a fit or a batch prediction should use when the caller did not say. Threads
 * that meet at a barrier thousands of times a fit only pay off when each gets a core: on a machine
 * already running more than two runnable tasks per core, a waiting worker stalls the calling
 * thread at every barrier and one thread finishes sooner (measured: bench/model/RESULTS-gbdt.md).
 * The model is the same for any thread count, so this choice never changes results.
 */
import { availableParallelism, loadavg } from 'node:os';

/** Cores, or 1 when the 1-minute load average exceeds twice the number of cores. */
export function autoThreads(): number {
  const cores = availableParallelism();
  return (loadavg()[0] ?? 0) > 2 * cores ? 1 : cores;
}
