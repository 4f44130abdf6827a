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
import type { FitKernels } from '../fit-kernels';

/** Float64 entries per feature in a histogram: 256 bins × (Σ gradient, Σ hessian, count). */
export const HIST_STRIDE = 768;

/**
 * Control words shared with workers (Int32Array over a SharedArrayBuffer). A task (a histogram,
 * gradients, a partition) is cut into N_CHUNKS chunks of rows that the calling thread and the
 * workers claim one at a time, so a thread that starts late (a worker waking from its sleep, a
 * core busy elsewhere) takes fewer chunks instead of holding the others up. The calling thread
 * writes the task's words, zeroes DONE, opens the claims in TASK (the task's tag in the high 24
 * bits, the next chunk in the low 8) and bumps GENERATION; a thread claims chunk c by moving TASK
 * from c to c + 1 while the tag is its own and c < N_CHUNKS, reads the task's words only then (a
 * claimed chunk is not done, so the calling thread cannot be writing the next task's), and bumps
 * DONE when the chunk is done. The calling thread claims too, then waits for DONE = N_CHUNKS.
 * Both sides spin before sleeping on a futex, and a side wakes the other only if it announced
 * sleeping (ASLEEP, MAIN_ASLEEP): on a busy machine a futex wake costs tens of µs.
 */
export const CTRL = { GENERATION: 0, COMMAND: 1, START: 2, END: 3, SLOT: 4, N_FEATURES: 5, DONE: 6, ASLEEP: 7, MAIN_ASLEEP: 8, FEATURE: 9, N_CHUNKS: 10, TASK: 11, SIZE: 12 } as const;
/**
 * Spin iterations (each one atomic load) before a thread sleeps: some tens of microseconds, about
 * the time the calling thread spends choosing a split between two shared tasks (4,000 made the
 * worker sleep between most of them: Bank Marketing fits 13 % and GMSC 4 % slower on 2 threads,
 * 2026-12-06). Fits only share work when the machine has a core to spare (see cpu-budget.ts).
 */
export const SPIN_LIMIT = 20_000;
/** COMMAND values. */
export const COMMAND = { BUILD: 0, EXIT: 1, PARTITION: 2, GRADIENTS: 3 } as const;
/** Chunks a task is cut into at most; a histogram's (two at most) chunk 1 sums into the spare slot. */
export const MAX_CHUNKS = 8;

/**
 * `runChunk(kernels, ctrl, counts, at, nRows, nCols, spareSlot, c)` does chunk c of the task in
 * the control words, and `claimChunks(kernels, ctrl, counts, at, nRows, nCols, spareSlot, tag)`
 * claims and does chunks of the task tagged `tag` until none is left. Plain JavaScript source, run
 * by the workers and compiled by the calling thread from the same text: which rows a chunk holds
 * and which slot it sums into is written once. Chunk c of [START, END) cut in K is
 * [START + ⌊c (END − START) / K⌋, START + ⌊(c + 1) (END − START) / K⌋).
 */
export const CHUNK_SOURCE = `
function runChunk(kernels, ctrl, counts, at, nRows, nCols, spareSlot, c) {
  var start = ctrl[${CTRL.START}];
  var n = ctrl[${CTRL.END}] - start;
  var k = ctrl[${CTRL.N_CHUNKS}];
  var a = start + Math.floor((c * n) / k);
  var b = start + Math.floor(((c + 1) * n) / k);
  var command = ctrl[${CTRL.COMMAND}];
  if (command === ${COMMAND.BUILD}) {
    var slot = c === 0 ? ctrl[${CTRL.SLOT}] : spareSlot + c - 1;
    kernels.histograms(at.binsRow, nCols, at.rows, a, b, at.grad, at.hess, at.hist + slot * nCols * ${HIST_STRIDE * 8}, at.features, ctrl[${CTRL.N_FEATURES}], at.nBins);
  } else if (command === ${COMMAND.PARTITION}) {
    counts[c] = kernels.partition(at.bins + ctrl[${CTRL.FEATURE}] * nRows, at.rows, a, b, at.route, at.right);
  } else if (command === ${COMMAND.GRADIENTS}) {
    kernels.gradients(at.scores, at.labels, at.weights, at.weighted, at.grad, at.hess, at.rows, a, b);
  }
}
function claimChunks(kernels, ctrl, counts, at, nRows, nCols, spareSlot, tag) {
  for (;;) {
    var v = Atomics.load(ctrl, ${CTRL.TASK});
    if (v >>> 8 !== tag) return;
    var c = v & 255;
    if (c >= ctrl[${CTRL.N_CHUNKS}]) return;
    if (Atomics.compareExchange(ctrl, ${CTRL.TASK}, v, v + 1) !== v) continue;
    runChunk(kernels, ctrl, counts, at, nRows, nCols, spareSlot, c);
    Atomics.add(ctrl, ${CTRL.DONE}, 1);
  }
}
`;

/** Signature of the compiled {@link CHUNK_SOURCE} `claimChunks`. */
export type ChunkClaimer = (kernels: FitKernels, ctrl: Int32Array, counts: Int32Array, at: object, nRows: number, nCols: number, spareSlot: number, tag: number) => void;
/** Signature of the compiled {@link CHUNK_SOURCE} `runChunk`. */
export type ChunkRunner = (kernels: FitKernels, ctrl: Int32Array, counts: Int32Array, at: object, nRows: number, nCols: number, spareSlot: number, c: number) => void;

/** Compiles the chunk functions for the calling thread. */
export function compileChunks(): { claimChunks: ChunkClaimer; runChunk: ChunkRunner } {
  return new Function(`${CHUNK_SOURCE}\nreturn { claimChunks: claimChunks, runChunk: runChunk };`)() as { claimChunks: ChunkClaimer; runChunk: ChunkRunner };
}

/** The tag of a task in TASK's high 24 bits: its generation's low 24 bits. */
export function taskTag(generation: number): number {
  return generation & 0xffffff;
}

/** The worker body: waits for tasks on the control words and claims their chunks. */
export const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
${CHUNK_SOURCE}
// One fit's work: the fit's shared buffers arrive in a message; EXIT ends the fit, and the worker
// waits, idle, for the next fit's buffers (a pool keeps it between fits).
function run(data) {
  const { ctrlBuf, countsBuf, memory, module, at, nRows, nCols, spareSlot } = data;
  const kernels = new WebAssembly.Instance(module, { env: { memory, log1p: Math.log1p } }).exports;
  const counts = new Int32Array(countsBuf);
  const ctrl = new Int32Array(ctrlBuf);
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
    // EXIT is the fit's last word: read now, it can only be this generation's or a later one's
    if (ctrl[${CTRL.COMMAND}] === ${COMMAND.EXIT}) return;
    claimChunks(kernels, ctrl, counts, at, nRows, nCols, spareSlot, generation & 0xffffff);
    if (Atomics.load(ctrl, ${CTRL.MAIN_ASLEEP}) === 1) Atomics.notify(ctrl, ${CTRL.DONE});
  }
}
parentPort.on('message', (data) => {
  run(data);
  parentPort.postMessage('idle');
});
`;
