/**
 * Builds gradient histograms, partitions leaf rows and computes gradients over shared memory,
 * cutting each task into chunks of rows that the calling thread and worker threads claim (see
 * CTRL in histogram-kernel.ts).
 * Owns one fit's buffers, all in one shared WebAssembly memory that the fit kernels address; the
 * typed arrays below are views of it. `close()` must be awaited to give the workers back to the
 * pool of idle workers (the model fit does so in a `finally`).
 */
import { Worker } from 'node:worker_threads';
import { ValidationError } from '../../core/errors';
import type { Tree } from './tree';
import { fitKernelsModule, instantiateFitKernels, kernelMemory, memoryLayout, type FitKernels } from '../fit-kernels';
import { COMMAND, CTRL, HIST_STRIDE, MAX_CHUNKS, SPIN_LIMIT, WORKER_SOURCE, compileChunks, taskTag, type ChunkClaimer, type ChunkRunner } from './histogram-kernel';

/**
 * Work (rows × features) from which a leaf's histogram is summed in two halves of its rows; below
 * it, in one piece. Whether a leaf is halved depends on the leaf alone, so one thread or many add
 * the same numbers in the same order. More chunks cost more than they share here: each zeroes a
 * spare slot and is added in by the calling thread, and two threads sharing a histogram reach only
 * 1.5× (store-bound; Bank Marketing root, 26,000 rows × 16 features: 508 µs on one thread, 342 µs on
 * two; in eight chunks 609 and 569 µs, 2026-12-06).
 */
const MIN_HALVED_WORK = 12_000;
/** Rows of one chunk of gradients or of a partition; fewer rows are done inline. */
const CHUNK_ROWS = 4096;
/** One task takes milliseconds; this long means a worker is gone. */
const WORKER_TIMEOUT_MS = 120_000;

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

/** Byte offsets of a fit's buffers in its memory (see {@link memoryLayout}). */
type FitLayout = ReturnType<typeof fitLayout>;

function fitLayout(nRows: number, nCols: number, nSlots: number, nWeights: number, nValidation: number) {
  const maxNodes = 2 * nSlots - 1;
  const at = memoryLayout({
    bins: nRows * nCols,
    binsRow: nRows * nCols,
    rows: nRows * 4,
    right: nRows * 4,
    hist: (nSlots + 1) * nCols * HIST_STRIDE * 8, // the last slot: a leaf's second half
    features: nCols * 4,
    nBins: nCols * 4,
    route: 256,
    scores: nRows * 8,
    grad: nRows * 8,
    hess: nRows * 8,
    weights: nWeights * 8,
    labels: nRows,
    // the out-of-bag rows of a round (i32)
    oob: nRows * 4,
    // the tree being added to the scores: per node feature, left, right (i32), value (f64), 256 routes (u8)
    treeFeature: maxNodes * 4,
    treeLeft: maxNodes * 4,
    treeRight: maxNodes * 4,
    treeValue: maxNodes * 8,
    treeRoutes: maxNodes * 256,
    // validation rows: bin codes (column-major), raw scores, and the list 0..nValidation
    valBins: nValidation * nCols,
    valScores: nValidation * 8,
    valList: nValidation * 4,
  });
  // 1 when the rows are weighted (weights holds one per row), else 0
  return { ...at, weighted: nWeights > 0 ? 1 : 0 };
}

/** Shared buffers of one fit plus the threads that work on them. */
export class HistogramBuilder {
  /** Column-major bin codes, nCols × nRows. */
  readonly bins: Uint8Array;
  /** The same codes row-major, nRows × nCols, for the histograms; filled by {@link transposeBins}. */
  private readonly binsRow: Uint8Array;
  /** Row indices partitioned by leaf: each leaf owns a contiguous range. */
  readonly rows: Int32Array;
  /** Histogram slots, each nCols × HIST_STRIDE, and after them the spare slot of a leaf's second half. */
  readonly hist: Float64Array;
  private readonly spareSlot: number;
  private readonly features: Int32Array;
  /** Per feature, its number of value bins: histograms touch those and the missing bin only. */
  private readonly nBins: Int32Array;
  private nFeatures = 0;
  private readonly ctrl: Int32Array;
  private readonly kernels: FitKernels;
  private closed = false;
  private readonly claimChunks: ChunkClaimer;
  private readonly runChunk: ChunkRunner;
  private readonly route: Uint8Array;
  private readonly rightRows: Int32Array;
  private readonly counts: Int32Array;

  /** Raw scores of the training rows, updated by the boosting loop. */
  readonly scores: Float64Array;
  /** Gradients and hessians of the training rows, filled by {@link gradients}. */
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  /** A round's out-of-bag rows, for {@link addTree}. */
  readonly oob: Int32Array;
  /** The validation rows' bin codes (column-major) and raw scores, for {@link addTree}. */
  readonly valBins: Uint8Array;
  readonly valScores: Float64Array;

  private constructor(
    readonly nRows: number,
    readonly nCols: number,
    nSlots: number,
    readonly nValidation: number,
    private readonly workers: Worker[],
    private readonly memory: WebAssembly.Memory,
    private readonly at: FitLayout,
    ctrlBuf: SharedArrayBuffer,
    countsBuf: SharedArrayBuffer,
  ) {
    const buffer = memory.buffer;
    this.kernels = instantiateFitKernels(memory);
    ({ claimChunks: this.claimChunks, runChunk: this.runChunk } = compileChunks());
    this.ctrl = new Int32Array(ctrlBuf);
    this.counts = new Int32Array(countsBuf);
    this.bins = new Uint8Array(buffer, at.bins, nRows * nCols);
    this.binsRow = new Uint8Array(buffer, at.binsRow, nRows * nCols);
    this.rows = new Int32Array(buffer, at.rows, nRows);
    this.hist = new Float64Array(buffer, at.hist, (nSlots + 1) * nCols * HIST_STRIDE);
    this.spareSlot = nSlots;
    this.features = new Int32Array(buffer, at.features, nCols);
    this.nBins = new Int32Array(buffer, at.nBins, nCols);
    this.route = new Uint8Array(buffer, at.route, 256);
    this.rightRows = new Int32Array(buffer, at.right, nRows);
    this.scores = new Float64Array(buffer, at.scores, nRows);
    this.grad = new Float64Array(buffer, at.grad, nRows);
    this.hess = new Float64Array(buffer, at.hess, nRows);
    this.oob = new Int32Array(buffer, at.oob, nRows);
    this.valBins = new Uint8Array(buffer, at.valBins, nValidation * nCols);
    this.valScores = new Float64Array(buffer, at.valScores, nValidation);
    const valList = new Int32Array(buffer, at.valList, nValidation);
    for (let r = 0; r < nValidation; r++) valList[r] = r;
  }

  /**
   * Allocates the fit's memory, copies labels, weights and the per-feature value-bin counts
   * (codes 0..valueBins[f), plus the missing bin 255) in, and starts `nThreads − 1` workers (none
   * when nThreads is 1).
   */
  static async create(nRows: number, nCols: number, nSlots: number, nThreads: number, labels: Uint8Array, weights: Float64Array | null, valueBins: Int32Array, nValidation = 0): Promise<HistogramBuilder> {
    const nWeights = weights ? nRows : 0;
    const at = fitLayout(nRows, nCols, nSlots, nWeights, nValidation);
    const memory = fitMemory(at.bytes, (gib) => new ValidationError(`gbdt fit of ${nRows} rows × ${nCols} columns needs ${gib} GiB of working memory, more than the 4 GiB one fit can address: sample the rows or drop columns`, { context: { field: 'train' } }));
    const ctrlBuf = shared(CTRL.SIZE * 4);
    const countsBuf = shared(MAX_CHUNKS * 4);
    const buffer = memory.buffer;
    new Uint8Array(buffer, at.labels, nRows).set(labels.subarray(0, nRows));
    new Int32Array(buffer, at.nBins, nCols).set(valueBins.subarray(0, nCols));
    if (weights) new Float64Array(buffer, at.weights, nRows).set(weights.subarray(0, nRows));
    const module = fitKernelsModule();
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 1; index < nThreads; index++) {
      const worker = idleWorkers.pop() ?? startWorker();
      ready.push(answer(worker, 'ready'));
      worker.postMessage({ ctrlBuf, countsBuf, memory, module, at, nRows, nCols, spareSlot: nSlots });
      workers.push(worker);
    }
    const builder = new HistogramBuilder(nRows, nCols, nSlots, nValidation, workers, memory, at, ctrlBuf, countsBuf);
    try {
      await Promise.all(ready);
    } catch (error) {
      await builder.close();
      throw error;
    }
    return builder;
  }

  /** Copies the column-major codes of {@link bins} (once they are written) into the row-major copy the histograms read. */
  transposeBins(): void {
    const { bins, binsRow, nRows, nCols } = this;
    for (let f = 0; f < nCols; f++) {
      const col = f * nRows;
      for (let r = 0, at = f; r < nRows; r++, at += nCols) binsRow[at] = bins[col + r] as number;
    }
  }

  /** Restricts histograms (and subtraction) to these features, e.g. a tree's column sample. */
  setFeatures(features: readonly number[]): void {
    this.features.set(features);
    this.nFeatures = features.length;
  }

  /** The features histograms are currently built for. */
  activeFeatures(): Int32Array {
    return this.features.subarray(0, this.nFeatures);
  }

  /**
   * Fills slot `slot` from the rows in rows[start..end), reading the builder's gradients and
   * hessians. A large leaf is summed in two halves of its rows, the second into the spare slot, and
   * the halves are then added; each half reads the gradients of its own rows only.
   */
  build(slot: number, start: number, end: number): void {
    const chunks = (end - start) * this.nFeatures >= MIN_HALVED_WORK ? 2 : 1;
    this.ctrl[CTRL.SLOT] = slot;
    this.ctrl[CTRL.N_FEATURES] = this.nFeatures;
    this.run(COMMAND.BUILD, start, end, chunks, chunks);
    if (chunks === 2) this.combine(slot, this.spareSlot, 1);
  }

  /** Fills grad and hess from scores for the rows rows[0..nInBag), shared among threads. */
  gradients(nInBag: number): void {
    this.run(COMMAND.GRADIENTS, 0, nInBag, this.rowChunks(nInBag), 0);
  }

  /**
   * Stable partition of rows[start..end) by a split on `feature`: rows whose bin code has
   * route[code] = 1 first, in their order, then the others; returns the number sent left.
   */
  partition(start: number, end: number, feature: number, route: Uint8Array): number {
    this.route.set(route);
    const { rows, rightRows, counts } = this;
    const chunks = this.rowChunks(end - start);
    this.ctrl[CTRL.FEATURE] = feature;
    this.run(COMMAND.PARTITION, start, end, chunks, 0);
    // Concatenate the pieces in order: left pieces (each at the start of its chunk, the first
    // already in place), then right pieces. A stable partition is one, however it was cut.
    let to = start;
    for (let c = 0; c < chunks; c++) {
      const a = start + Math.floor((c * (end - start)) / chunks);
      if (to !== a) rows.copyWithin(to, a, a + (counts[c] as number));
      to += counts[c] as number;
    }
    const nLeft = to - start;
    for (let c = 0; c < chunks; c++) {
      const a = start + Math.floor((c * (end - start)) / chunks);
      const b = start + Math.floor(((c + 1) * (end - start)) / chunks);
      const nRight = b - a - (counts[c] as number);
      rows.set(rightRows.subarray(a, a + nRight), to);
      to += nRight;
    }
    return nLeft;
  }

  /** Chunks for a row-wise task: one without workers (its result does not depend on the cut). */
  private rowChunks(n: number): number {
    return this.workers.length === 0 ? 1 : Math.max(1, Math.min(MAX_CHUNKS, Math.floor(n / CHUNK_ROWS)));
  }

  /**
   * Runs a task of `chunks` chunks over rows[start..end): inline when there is one chunk or no
   * worker (a histogram keeps its chunks), else shared with the workers. `inlineChunks` is the
   * number of chunks an inline run must still keep apart (a histogram's), 0 for one piece.
   */
  private run(command: number, start: number, end: number, chunks: number, inlineChunks: number): void {
    const { ctrl, counts, at, nRows, nCols, spareSlot } = this;
    ctrl[CTRL.COMMAND] = command;
    ctrl[CTRL.START] = start;
    ctrl[CTRL.END] = end;
    if (chunks === 1 || this.workers.length === 0) {
      const k = Math.max(1, inlineChunks);
      ctrl[CTRL.N_CHUNKS] = k;
      for (let c = 0; c < k; c++) this.runChunk(this.kernels, ctrl, counts, at, nRows, nCols, spareSlot, c);
      return;
    }
    ctrl[CTRL.N_CHUNKS] = chunks;
    Atomics.store(ctrl, CTRL.DONE, 0);
    const generation = (Atomics.load(ctrl, CTRL.GENERATION) + 1) | 0;
    const tag = taskTag(generation);
    Atomics.store(ctrl, CTRL.TASK, tag << 8);
    Atomics.store(ctrl, CTRL.GENERATION, generation);
    if (Atomics.load(ctrl, CTRL.ASLEEP) > 0) Atomics.notify(ctrl, CTRL.GENERATION);
    this.claimChunks(this.kernels, ctrl, counts, at, nRows, nCols, spareSlot, tag);
    this.awaitChunks(chunks);
  }

  /** Waits until every chunk of the task is done (the workers' last ones take a chunk's time). */
  private awaitChunks(chunks: number): void {
    const ctrl = this.ctrl;
    for (let spins = 0; spins < SPIN_LIMIT && Atomics.load(ctrl, CTRL.DONE) < chunks; spins++);
    if (Atomics.load(ctrl, CTRL.DONE) < chunks) {
      Atomics.store(ctrl, CTRL.MAIN_ASLEEP, 1);
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      for (let done = Atomics.load(ctrl, CTRL.DONE); done < chunks; done = Atomics.load(ctrl, CTRL.DONE)) {
        // A worker that died (out of memory, killed) holding a chunk would otherwise block the fit for ever.
        if (Atomics.wait(ctrl, CTRL.DONE, done, 1000) === 'timed-out' && Date.now() > deadline) {
          throw new Error(`gbdt histogram workers did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
        }
      }
      Atomics.store(ctrl, CTRL.MAIN_ASLEEP, 0);
    }
  }

  /**
   * Adds a grown tree's leaf values to the raw scores: the in-bag rows by their leaves' ranges of
   * rows, the `nOob` out-of-bag rows in {@link oob} and the validation rows by descending their
   * bin codes. `routes` holds 256 bin routes per node.
   */
  addTree(tree: Tree, routes: Uint8Array, leaves: readonly { readonly node: number; readonly start: number; readonly end: number }[], nOob: number): void {
    const { at, kernels } = this;
    for (const leaf of leaves) kernels.addValue(at.rows, leaf.start, leaf.end, tree.value[leaf.node] as number, at.scores);
    if (nOob === 0 && this.nValidation === 0) return;
    const buffer = this.memory.buffer;
    const n = tree.nNodes;
    new Int32Array(buffer, at.treeFeature, n).set(tree.feature);
    new Int32Array(buffer, at.treeLeft, n).set(tree.left);
    new Int32Array(buffer, at.treeRight, n).set(tree.right);
    new Float64Array(buffer, at.treeValue, n).set(tree.value);
    new Uint8Array(buffer, at.treeRoutes, n * 256).set(routes.subarray(0, n * 256));
    if (nOob > 0) kernels.descend(at.treeFeature, at.treeLeft, at.treeRight, at.treeValue, at.treeRoutes, at.bins, this.nRows, at.oob, nOob, at.scores);
    if (this.nValidation > 0) kernels.descend(at.treeFeature, at.treeLeft, at.treeRight, at.treeValue, at.treeRoutes, at.valBins, this.nValidation, at.valList, this.nValidation, at.valScores);
  }

  /** parent −= child over the active features: the parent slot then holds the sibling's histogram. */
  subtract(parentSlot: number, childSlot: number): void {
    this.combine(parentSlot, childSlot, -1);
  }

  /** slot a += sign × slot b over the active features' written entries (value bins and the missing bin). */
  private combine(a: number, b: number, sign: 1 | -1): void {
    const { hist, nCols, nBins } = this;
    const stride = HIST_STRIDE;
    const slotSize = nCols * stride;
    for (let k = 0; k < this.nFeatures; k++) {
      const f = this.features[k] as number;
      const p = a * slotSize + f * stride;
      const c = b * slotSize + f * stride;
      const used = (nBins[f] as number) * 3;
      // sign × b is exact: a + (−1 × b) is a − b to the last bit
      for (let j = 0; j < used; j++) hist[p + j]! += sign * (hist[c + j] as number);
      for (let j = stride - 3; j < stride; j++) hist[p + j]! += sign * (hist[c + j] as number);
    }
  }

  /**
   * Ends the fit: its workers leave the fit's buffers and go back to the pool of idle workers (or
   * end, past {@link MAX_IDLE_WORKERS}, or when one does not answer), and its memory is kept for the
   * next fit; safe to call twice.
   */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    if (workers.length > 0) {
      const idle = workers.map((w) => answer(w, 'idle', IDLE_TIMEOUT_MS).then(() => true, () => false));
      this.ctrl[CTRL.COMMAND] = COMMAND.EXIT;
      Atomics.add(this.ctrl, CTRL.GENERATION, 1);
      Atomics.notify(this.ctrl, CTRL.GENERATION);
      const back = await Promise.all(idle);
      await Promise.all(workers.map((w, i) => {
        if (back[i] && idleWorkers.length < MAX_IDLE_WORKERS) {
          idleWorkers.push(w);
          return undefined;
        }
        return w.terminate();
      }));
    }
    // no thread holds the memory any more: the next fit may take it
    if (!this.closed) spareMemory = this.memory;
    this.closed = true;
  }
}

/**
 * The shared memory of the last fit, kept for the next one: V8 does not count shared memory
 * towards what makes it collect garbage, so fits that each allocated their own left the dropped
 * ones resident (a 1,000,000-debtor retrain went past 2 GiB). A fit takes it when it is large
 * enough and not much larger than needed, and gives it back when it closes; every buffer in it is
 * written before it is read, so nothing of the last fit shows through.
 */
let spareMemory: WebAssembly.Memory | null = null;

function fitMemory(bytes: number, tooLarge: (gib: string) => Error): WebAssembly.Memory {
  const spare = spareMemory;
  spareMemory = null;
  const size = spare?.buffer.byteLength ?? 0;
  if (spare && size >= bytes && size <= 2 * bytes + 16 * 2 ** 20) return spare;
  return kernelMemory(bytes, tooLarge, true);
}

/**
 * Workers between fits, kept so that a fit does not pay for starting threads (about 40 ms a
 * worker here, a fifth of a Bank Marketing fit). They are unref'd: an idle pool never keeps the
 * process alive.
 */
const idleWorkers: Worker[] = [];
/** Idle workers kept at most; more are ended. */
const MAX_IDLE_WORKERS = 4;
/** A worker leaves a fit within microseconds of being told; this long means it is gone. */
const IDLE_TIMEOUT_MS = 10_000;

function startWorker(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  // a worker that fails between fits leaves the pool
  worker.on('error', () => {
    const at = idleWorkers.indexOf(worker);
    if (at >= 0) idleWorkers.splice(at, 1);
  });
  return worker;
}

/**
 * Resolves when `worker` posts `word`; rejects when it fails, exits or (with `timeoutMs`) stays
 * silent. The worker is ref'd meanwhile, so the process waits for the answer.
 */
function answer(worker: Worker, word: 'ready' | 'idle', timeoutMs = 0): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | null = null;
    const done = (error?: Error) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (timer) clearTimeout(timer);
      worker.unref();
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (m: unknown) => { if (m === word) done(); };
    const onError = (e: Error) => done(e);
    const onExit = (code: number) => done(new Error(`gbdt histogram worker exited with code ${code}`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.ref();
    if (timeoutMs > 0) timer = setTimeout(() => done(new Error(`gbdt histogram worker did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
}
