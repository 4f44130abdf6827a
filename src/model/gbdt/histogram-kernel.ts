/**
 * The fit workers' kernels (histograms, partition; gradients come from objective.ts), written
 * once as plain JavaScript source: workers run them through
 * `new Worker(code, { eval: true })` (a worker cannot load a .ts file under jest, tsx or compiled
 * JS alike) and the calling thread compiles the very same text, so one thread or many give
 * bit-identical models: a histogram is summed in row order, in one piece or (a large leaf) in two
 * halves added in the same order whichever threads sum them.
 *
 * Layout: slot s, feature f, bin b → hist[s * nCols * 768 + f * 768 + b * 3 + {0: Σg, 1: Σh, 2: n}].
 */
import { GRADIENT_SOURCE } from './objective';

/** Float64 entries per feature in a histogram: 256 bins × (Σ gradient, Σ hessian, count). */
export const HIST_STRIDE = 768;

/**
 * `buildHistograms(binsRow, nRows, nCols, rows, start, end, grad, hess, hist, slot, features, kStart, kEnd, nBins)`
 * fills slot `slot` for features[kStart..kEnd) from the rows rows[start..end), reading their
 * gradients and hessians in place: a leaf's rows are in ascending order, so these reads move
 * forward through memory and need no gathered copy. `binsRow`
 * holds the bin codes row-major (row r's codes at r·nCols..): each row's index, gradient and
 * hessian are read once for all its features, and consecutive updates go to different features'
 * histograms, so a spike bin does not chain every add on the previous one. Feature f has value
 * bins 0..nBins[f) and the missing bin 255; only those entries are written (a categorical column of
 * a dozen levels clears 13 bins, not 256), the others are never read. Every bin is summed in row
 * order.
 */
export const KERNEL_SOURCE = `
function buildHistograms(binsRow, nRows, nCols, rows, start, end, grad, hess, hist, slot, features, kStart, kEnd, nBins) {
  var slotBase = slot * nCols * 768;
  var i = 0;
  var k = 0;
  var f = 0;
  var b = 0;
  var r = 0;
  var row = 0;
  var g = 0;
  var h = 0;
  for (k = kStart; k < kEnd; k++) {
    f = features[k];
    b = slotBase + f * 768;
    hist.fill(0, b, b + nBins[f] * 3);
    hist.fill(0, b + 765, b + 768);
  }
  if (kEnd - kStart === nCols) {
    // every feature (features is sorted, so features[k] = k)
    for (i = start; i < end; i++) {
      r = rows[i];
      row = r * nCols;
      g = grad[r];
      h = hess[r];
      for (f = 0; f < nCols; f++) {
        b = slotBase + f * 768 + binsRow[row + f] * 3;
        hist[b] += g;
        hist[b + 1] += h;
        hist[b + 2] += 1;
      }
    }
    return;
  }
  for (i = start; i < end; i++) {
    r = rows[i];
    row = r * nCols;
    g = grad[r];
    h = hess[r];
    for (k = kStart; k < kEnd; k++) {
      f = features[k];
      b = slotBase + f * 768 + binsRow[row + f] * 3;
      hist[b] += g;
      hist[b + 1] += h;
      hist[b + 2] += 1;
    }
  }
}
`;

/**
 * `partitionRange(bins, nRows, rows, a, b, col, route, right, counts, t)` splits rows[a..b) by the
 * bin routing table (1 = left): left rows are compacted in place to rows[a..], right rows go to
 * right[a..], both in order, and counts[t] receives the number of left rows. Each thread takes a
 * sub-range; the caller concatenates the pieces in order, so the result does not depend on the
 * thread count.
 */
export const PARTITION_SOURCE = `
function partitionRange(bins, nRows, rows, a, b, col, route, right, counts, t) {
  var nl = 0;
  var nr = 0;
  for (var i = a; i < b; i++) {
    var r = rows[i];
    var goLeft = route[bins[col + r]];
    // Both writes happen and only the cursors move: no branch to mispredict. The left write
    // lands at or before i, on a row already read.
    rows[a + nl] = r;
    right[a + nr] = r;
    nl += goLeft;
    nr += 1 - goLeft;
  }
  counts[t] = nl;
}
`;

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
${KERNEL_SOURCE}
${PARTITION_SOURCE}
${GRADIENT_SOURCE}
// One fit's work: the fit's shared buffers arrive in a message; EXIT ends the fit, and the worker
// waits, idle, for the next fit's buffers (a pool keeps it between fits).
function run(data) {
  const { ctrlBuf, nBinsBuf, binsBuf, binsRowBuf, rowsBuf, histBuf, featuresBuf, routeBuf, rightBuf, countsBuf, scoresBuf, labelsBuf, weightsBuf, gradBuf, hessBuf, nWeights, nRows, nCols, index, nThreads } = data;
  const scores = new Float64Array(scoresBuf);
  const labels = new Uint8Array(labelsBuf, 0, nRows);
  const weights = new Float64Array(weightsBuf, 0, nWeights);
  const grad = new Float64Array(gradBuf);
  const hess = new Float64Array(hessBuf);
  const route = new Uint8Array(routeBuf);
  const rightRows = new Int32Array(rightBuf);
  const counts = new Int32Array(countsBuf);
  const ctrl = new Int32Array(ctrlBuf);
  const bins = new Uint8Array(binsBuf);
  const binsRow = new Uint8Array(binsRowBuf);
  const rows = new Int32Array(rowsBuf);
  const hist = new Float64Array(histBuf);
  const features = new Int32Array(featuresBuf);
  const nBins = new Int32Array(nBinsBuf);
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
      logLossRows(scores, labels, weights, grad, hess, rows, a, b);
    } else if (command === ${COMMAND.PARTITION}) {
      partitionRange(bins, nRows, rows, a, b, ctrl[${CTRL.FEATURE}] * nRows, route, rightRows, counts, index);
    } else if (index === 1) {
      // a histogram's second half of rows, every active feature, into the spare slot
      buildHistograms(binsRow, nRows, nCols, rows, start, end, grad, hess, hist, ctrl[${CTRL.SLOT}], features, 0, ctrl[${CTRL.N_FEATURES}], nBins);
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

/** Signature of the compiled kernel. */
export type HistogramKernel = (
  binsRow: Uint8Array,
  nRows: number,
  nCols: number,
  rows: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  slot: number,
  features: Int32Array,
  kStart: number,
  kEnd: number,
  nBins: Int32Array,
) => void;

/** Signature of the compiled partition kernel. */
export type PartitionKernel = (
  bins: Uint8Array,
  nRows: number,
  rows: Int32Array,
  a: number,
  b: number,
  col: number,
  route: Uint8Array,
  right: Int32Array,
  counts: Int32Array,
  t: number,
) => void;

/** Compiles the partition kernel for the calling thread. */
export function compilePartition(): PartitionKernel {
  return new Function(`${PARTITION_SOURCE}\nreturn partitionRange;`)() as PartitionKernel;
}

/** Compiles the kernel for the calling thread; each call gives a fresh function so its JIT feedback is its own. */
export function compileKernel(): HistogramKernel {
  return new Function(`${KERNEL_SOURCE}\nreturn buildHistograms;`)() as HistogramKernel;
}
