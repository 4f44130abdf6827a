/**
 * A process-wide pool of prediction workers for large batches. `predictProba` is synchronous, so
 * the calling thread hands each worker a slice through a message it reads synchronously
 * (receiveMessageOnPort), scores its own slice, then waits on a shared counter. Workers are
 * unref'd: an idle pool never keeps the process alive; {@link closePredictionPool} ends it.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CODED_KERNEL_SOURCE } from './coded-kernel';

const WORKER_SOURCE = `
'use strict';
const { workerData, parentPort, receiveMessageOnPort } = require('node:worker_threads');
${CODED_KERNEL_SOURCE}
const ctrl = new Int32Array(workerData);
let generation = 0;
for (;;) {
  Atomics.wait(ctrl, 0, generation);
  generation = Atomics.load(ctrl, 0);
  let received = receiveMessageOnPort(parentPort);
  while (received === undefined) {
    Atomics.wait(ctrl, 2, 0, 1);
    received = receiveMessageOnPort(parentPort);
  }
  const m = received.message;
  if (m.exit) break;
  if (m.categorical) codedPredictMixed(m.word, m.child, m.leafValue, m.roots, m.cuts, m.cutStart, m.categorical.isCat, m.categorical.catStart, m.categorical.catRoute, m.data, m.nCols, m.start, m.end, m.out);
  else codedPredict(m.word, m.child, m.leafValue, m.roots, m.cuts, m.cutStart, m.data, m.nCols, m.start, m.end, m.out);
  Atomics.add(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}
`;

/** The shared arrays a worker needs to score rows; all backed by SharedArrayBuffer. */
export interface SharedForest {
  readonly word: Int32Array;
  readonly child: Int32Array;
  readonly leafValue: Float64Array;
  readonly roots: Int32Array;
  readonly cuts: Float64Array;
  readonly cutStart: Int32Array;
  /** For forests with categorical splits (see coded-forest.ts); null when every split is numeric. */
  readonly categorical: {
    /** 1 for a categorical feature. */
    readonly isCat: Uint8Array;
    /** Per node, the start of its routing table in catRoute; −1 for numeric nodes and leaves. */
    readonly catStart: Int32Array;
    /** Routing tables of categorical nodes: 0 left, 1 right, per category index. */
    readonly catRoute: Uint8Array;
  } | null;
}

/** A slice of a batch takes well under a second; this long means a worker is gone. */
const WORKER_TIMEOUT_MS = 60_000;

let workers: Worker[] = [];
let ctrl: Int32Array | null = null;

/** Number of helper threads a batch may use (0 on a single core). */
export function poolSize(): number {
  return Math.max(0, availableParallelism() - 1);
}

function ensurePool(): Int32Array {
  if (ctrl && workers.length > 0) return ctrl;
  const buffer = new SharedArrayBuffer(16);
  ctrl = new Int32Array(buffer);
  workers = Array.from({ length: poolSize() }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: buffer });
    worker.unref();
    return worker;
  });
  return ctrl;
}

/**
 * Runs `own(start, end)` on the calling thread for the first slice and the coded kernel on the
 * workers for the others; `data` and `out` must be SharedArrayBuffer-backed.
 */
export function runSliced(forest: SharedForest, data: Float64Array, nCols: number, nRows: number, out: Float64Array, own: (start: number, end: number) => void): void {
  const c = ensurePool();
  const parts = workers.length + 1;
  const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.floor((i * nRows) / parts));
  Atomics.store(c, 1, 0);
  workers.forEach((worker, i) => worker.postMessage({ ...forest, data, nCols, out, start: bounds[i + 1], end: bounds[i + 2] }));
  Atomics.add(c, 0, 1);
  Atomics.notify(c, 0);
  own(bounds[0] as number, bounds[1] as number);
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  for (let done = Atomics.load(c, 1); done < workers.length; done = Atomics.load(c, 1)) {
    if (Atomics.wait(c, 1, done, 1000) === 'timed-out' && Date.now() > deadline) {
      // A worker that died (out of memory, killed) would otherwise block this thread for ever.
      const stuck = workers;
      workers = [];
      ctrl = null;
      void Promise.all(stuck.map((w) => w.terminate()));
      throw new Error(`gbdt prediction workers did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
    }
  }
}

/** Ends the prediction workers (they are recreated on the next large batch). */
export async function closePredictionPool(): Promise<void> {
  const ending = workers;
  const c = ctrl;
  workers = [];
  ctrl = null;
  if (!c || ending.length === 0) return;
  ending.forEach((worker) => worker.postMessage({ exit: true }));
  Atomics.add(c, 0, 1);
  Atomics.notify(c, 0);
  await Promise.all(ending.map((w) => w.terminate()));
}
