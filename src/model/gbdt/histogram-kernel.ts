/**
 * The fit kernels and the fit workers' body. Histograms, partitions and gradients run as
 * WebAssembly (fit-kernels.wat) on one shared memory holding the fit's buffers (see
 * histogram-builder.ts): the calling thread and every worker instantiate the same module on it.
 * The workers' JavaScript is source run through `new Worker(code, { eval: true })` (a worker cannot
 * load a .ts file under jest, tsx or compiled JS alike). One thread or many give bit-identical
 * models: a histogram is summed in row order, in one piece or (a large leaf) in two halves added in
 * the same order whichever threads sum them.
 *
 * Layout: slot s, feature f, bin b → hist[s * nCols * 768 + f * 768 + b * 3 + {0: Σg, 1: Σh, 2: n}].
 */
import { FIT_KERNELS_BASE64 } from './fit-kernels-wasm';

/** Float64 entries per feature in a histogram: 256 bins × (Σ gradient, Σ hessian, count). */
export const HIST_STRIDE = 768;

/**
 * The exports of fit-kernels.wat; every pointer is a byte address in the fit's memory.
 * `histograms` fills one slot for the listed features from the rows rows[start..end), reading
 * their gradients and hessians in place (a leaf's rows are ascending, so the reads move forward);
 * `partition` splits rows[a..b) stably by a bin routing table and returns how many went left;
 * `gradients` fills the log-loss gradients and hessians of the rows listed in rows[a..b).
 */
export interface FitKernels {
  gradients(scores: number, labels: number, weights: number, weighted: number, grad: number, hess: number, rows: number, a: number, b: number): void;
  histograms(binsRow: number, nCols: number, rows: number, start: number, end: number, grad: number, hess: number, slot: number, features: number, nFeatures: number, nBins: number): void;
  partition(column: number, rows: number, a: number, b: number, route: number, right: number): number;
}

let compiled: WebAssembly.Module | null = null;

/** The compiled module, once per thread; a Module can be posted to workers as it is. */
export function fitKernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(FIT_KERNELS_BASE64, 'base64'));
  return compiled;
}

/** The kernels bound to a fit's shared memory. */
export function instantiateFitKernels(memory: WebAssembly.Memory): FitKernels {
  return new WebAssembly.Instance(fitKernelsModule(), { env: { memory } }).exports as unknown as FitKernels;
}

/**
 * Control words shared with workers (Int32Array over a SharedArrayBuffer). The calling thread
 * writes a task and bumps GENERATION; each worker does its share of the rows (of a histogram,
 * the first worker its second half) and bumps DONE.
 * Both sides spin briefly before sleeping on a futex, and a side wakes the other only if it
 * announced sleeping (ASLEEP, MAIN_ASLEEP): on a busy machine a futex wake costs tens of µs,
 * which adds up over thousands of histograms a fit.
 */
export const CTRL = { GENERATION: 0, COMMAND: 1, START: 2, END: 3, SLOT: 4, N_FEATURES: 5, DONE: 6, ASLEEP: 7, MAIN_ASLEEP: 8, FEATURE: 9, SIZE: 12 } as const;
/**
 * Spin iterations (each one atomic load) before a thread sleeps: some tens of microseconds, about
 * the time the calling thread spends choosing a split between two shared tasks (4,000 made the
 * worker sleep between most of them: Bank Marketing fits 13 % and GMSC 4 % slower on 2 threads,
 * 2026-12-06). Fits only share work when the machine has a core to spare (see cpu-budget.ts).
 */
export const SPIN_LIMIT = 20_000;
/** COMMAND values. */
export const COMMAND = { BUILD: 0, EXIT: 1, PARTITION: 2, GRADIENTS: 3 } as const;

/** The worker body: waits for tasks on the control words and runs a kernel on its share. */
export const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
// One fit's work: the fit's shared buffers arrive in a message; EXIT ends the fit, and the worker
// waits, idle, for the next fit's buffers (a pool keeps it between fits).
function run(data) {
  const { ctrlBuf, countsBuf, memory, module, at, weighted, nRows, nCols, index, nThreads } = data;
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const counts = new Int32Array(countsBuf);
  const ctrl = new Int32Array(ctrlBuf);
  const slotBytes = nCols * ${HIST_STRIDE * 8};
  parentPort.postMessage('ready');
  let generation = 0;
  for (;;) {
    for (let spins = 0; spins < ${SPIN_LIMIT} && Atomics.load(ctrl, ${CTRL.GENERATION}) === generation; spins++);
    if (Atomics.load(ctrl, ${CTRL.GENERATION}) === generation) {
      Atomics.add(ctrl, ${CTRL.ASLEEP}, 1);
      Atomics.wait(ctrl, ${CTRL.GENERATION}, generation);
      Atomics.sub(ctrl, ${CTRL.ASLEEP}, 1);
    }
    generation = Atomics.load(ctrl, ${CTRL.GENERATION});
    const command = ctrl[${CTRL.COMMAND}];
    if (command === ${COMMAND.EXIT}) return;
    const start = ctrl[${CTRL.START}];
    const end = ctrl[${CTRL.END}];
    const a = start + Math.floor((index * (end - start)) / nThreads);
    const b = start + Math.floor(((index + 1) * (end - start)) / nThreads);
    if (command === ${COMMAND.GRADIENTS}) {
      kernels.gradients(at.scores, at.labels, at.weights, weighted, at.grad, at.hess, at.rows, a, b);
    } else if (command === ${COMMAND.PARTITION}) {
      counts[index] = kernels.partition(at.bins + ctrl[${CTRL.FEATURE}] * nRows, at.rows, a, b, at.route, at.right);
    } else if (index === 1) {
      // a histogram's second half of rows, every active feature, into the spare slot
      kernels.histograms(at.binsRow, nCols, at.rows, start, end, at.grad, at.hess, at.hist + ctrl[${CTRL.SLOT}] * slotBytes, at.features, ctrl[${CTRL.N_FEATURES}], at.nBins);
    }
    Atomics.add(ctrl, ${CTRL.DONE}, 1);
    if (Atomics.load(ctrl, ${CTRL.MAIN_ASLEEP}) === 1) Atomics.notify(ctrl, ${CTRL.DONE});
  }
}
parentPort.on('message', (data) => {
  run(data);
  parentPort.postMessage('idle');
});
`;
