/**
 * TreeSHAP of a large batch on every core. TreeSHAP costs leaves × depth² per tree and row (about
 * a millisecond per row for a hundred trees of 31 leaves), so a nightly list of many thousand
 * debtors is worth sharing out. The rows sit in shared memory; the calling thread and the worker
 * threads take blocks of rows from one atomic counter until none is left, each writing its rows'
 * contributions, so the numbers are the same for any thread count.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FeatureMatrix, SerializedModel } from '../classifier';
import { autoThreads } from './cpu-budget';

/** What the threads need of a model: its trees' count, its JSON, and TreeSHAP over a row range. */
export interface ShapModel {
  readonly trees: readonly unknown[];
  toJSON(): SerializedModel;
  addContributions(data: Float64Array, nCols: number, rowStart: number, rowEnd: number, out: Float64Array): void;
}

/** Rows per block taken from the counter. */
const BLOCK_ROWS = 256;
/** Below this many row × tree pairs the threads' start-up (a few hundred ms) costs more than it saves. */
const MIN_WORK = 200_000;

/** What a thread receives. */
export interface ShapThreadData {
  entry: string;
  model: SerializedModel;
  data: Float64Array;
  out: Float64Array;
  next: Int32Array;
  nRows: number;
  nCols: number;
  blockRows: number;
}

// tsx is resolved from relance's own install, not from the process's working directory.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (/\\.ts$/.test(workerData.entry)) require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(workerData.entry);
`;

/** Takes blocks from the shared counter and explains them until none is left. */
export function explainBlocks(model: ShapModel, data: Float64Array, nRows: number, nCols: number, out: Float64Array, next: Int32Array, blockRows: number): void {
  for (let start = Atomics.add(next, 0, blockRows); start < nRows; start = Atomics.add(next, 0, blockRows)) {
    model.addContributions(data, nCols, start, Math.min(nRows, start + blockRows), out);
  }
}

/**
 * Contributions (row-major, nRows × nCols) of every row of `x`, computed on `threads` threads: the
 * calling one and `threads − 1` workers (`callerWorks: false` leaves every block to the workers).
 */
export async function explainAcrossThreads(model: ShapModel, x: FeatureMatrix, options: { threads?: number; callerWorks?: boolean } = {}): Promise<Float64Array> {
  const threads = options.threads ?? autoThreads();
  const { nRows, nCols } = x;
  if (threads <= 1 || nRows * model.trees.length < MIN_WORK) {
    const out = new Float64Array(nRows * nCols);
    model.addContributions(x.data, nCols, 0, nRows, out);
    return out;
  }
  const data = new Float64Array(new SharedArrayBuffer(x.data.byteLength));
  data.set(x.data);
  const out = new Float64Array(new SharedArrayBuffer(nRows * nCols * Float64Array.BYTES_PER_ELEMENT));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const entry = path.join(__dirname, `shap-thread-main${path.extname(__filename)}`);
  const workerData: ShapThreadData = { entry, model: model.toJSON(), data, out, next, nRows, nCols, blockRows: BLOCK_ROWS };
  const finished = Array.from({ length: threads - 1 }, () => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
    return new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`TreeSHAP thread exited with code ${code}`))));
    }).finally(() => void worker.terminate());
  });
  // Let the threads start while this one works: it takes blocks from the same counter.
  if (options.callerWorks ?? true) explainBlocks(model, data, nRows, nCols, out, next, BLOCK_ROWS);
  await Promise.all(finished);
  return out;
}
