import { performance } from 'node:perf_hooks';
import type { RunStore } from './run-store';
import type { TaskKey } from './states';
import { TryLostError } from './try-lost-error';

/** How long a running try's lease lasts without renewal. @defaultValue 20 s */
export const DEFAULT_LEASE_MS = 20_000;

/** Tries whose lease this process holds, by `run|task|map index|try`. */
const held = new Set<string>();
const heldKey = (key: TaskKey, tryNumber: number): string => `${key.runId}|${key.taskId}|${key.mapIndex}|${tryNumber}`;

/**
 * Whether this process runs try `tryNumber` of `key` right now. Such a try is never lost, even
 * when its lease looks expired because a long computation held the event loop past a renewal:
 * a sweep in the same process leaves it alone.
 */
export function heldHere(key: TaskKey, tryNumber: number): boolean {
  return held.has(heldKey(key, tryNumber));
}

/** A held lease: `lost` rejects when the try is no longer this process's to run. */
export interface HeldLease {
  /** Rejects (TryLostError) when the lease is lost; never resolves. */
  readonly lost: Promise<never>;
  /** Stops renewing (the try has ended). */
  release(): void;
}

/**
 * Renews the lease of a running try every quarter of `leaseMs` (in Postgres time, through the
 * store). The lease is lost when the store says the try is no longer running at this try number
 * (the scheduler's sweep failed it, or it was cleared), or when no renewal succeeded for a whole
 * lease (Postgres unreachable): by then the sweep may have handed the task to another process, so
 * this one stops the try rather than run it twice.
 */
export function holdLease(store: RunStore, key: TaskKey, tryNumber: number, leaseMs: number): HeldLease {
  let lastRenewed = performance.now();
  let renewing = false;
  let reject: (error: TryLostError) => void = () => undefined;
  const lost = new Promise<never>((_, r) => {
    reject = r;
  });
  lost.catch(() => undefined);
  const id = heldKey(key, tryNumber);
  held.add(id);
  const timer = setInterval(() => {
    if (renewing) return;
    renewing = true;
    store
      .renewLease(key, tryNumber, leaseMs)
      .then((held) => {
        if (held) lastRenewed = performance.now();
        else stop(new TryLostError(`try ${tryNumber} is no longer running in the run store (failed by the scheduler or cleared); stopped here`));
      })
      .catch(() => {
        if (performance.now() - lastRenewed > leaseMs) stop(new TryLostError(`the lease of try ${tryNumber} could not be renewed for ${leaseMs} ms; stopped here`));
      })
      .finally(() => {
        renewing = false;
      });
  }, Math.max(10, Math.floor(leaseMs / 4)));
  timer.unref();
  const release = (): void => {
    clearInterval(timer);
    held.delete(id);
  };
  const stop = (error: TryLostError): void => {
    release();
    reject(error);
  };
  return { lost, release };
}
