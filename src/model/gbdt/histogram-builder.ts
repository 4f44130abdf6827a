/**
 * Builds gradient histograms, partitions leaf rows and computes gradients over shared memory,
 * splitting the work among the calling thread and worker threads by row range (a histogram's
 * halves, partitions, gradients).
 * Owns the shared buffers for one fit; `close()` must be awaited to give the workers back to the
 * pool of idle workers (the model fit does so in a `finally`).
 */
import { Worker } from 'node:worker_threads';
import { compileRowGradients } from './objective';
import { COMMAND, CTRL, HIST_STRIDE, SPIN_LIMIT, WORKER_SOURCE, compileKernel, compilePartition, type HistogramKernel, type PartitionKernel } from './histogram-kernel';

/** Below this much work (rows × features) a histogram is built inline: waking workers costs more. */
const MIN_PARALLEL_WORK = 12_000;
/** One task takes milliseconds; this long means a worker is gone. */
const WORKER_TIMEOUT_MS = 120_000;
/** Below this many rows a leaf is partitioned inline. */
const MIN_PARALLEL_PARTITION = 16_384;

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

/** Shared buffers of one fit plus the threads that work on them. */
export class HistogramBuilder {
  /** Column-major bin codes, nCols × nRows. */
  readonly bins: Uint8Array;
  /** The same codes row-major, nRows × nCols, for the histograms; filled by {@link transposeBins}. */
  private readonly binsRow: Uint8Array;
  /** Row indices partitioned by leaf: each leaf owns a contiguous range. */
  readonly rows: Int32Array;
  /** Histogram slots, each nCols × HIST_STRIDE, and after them the spare slot {@link build} uses. */
  readonly hist: Float64Array;
  private readonly spareSlot: number;
  private readonly features: Int32Array;
  /** Per feature, its number of value bins: histograms touch those and the missing bin only. */
  private readonly nBins: Int32Array;
  private nFeatures = 0;
  private readonly ctrl: Int32Array;
  private readonly kernel: HistogramKernel = compileKernel();
  private readonly partitionKernel: PartitionKernel = compilePartition();
  private readonly route: Uint8Array;
  private readonly rightRows: Int32Array;
  private readonly counts: Int32Array;
  /** Raw scores of the training rows, updated by the boosting loop. */
  readonly scores: Float64Array;
  /** Gradients and hessians of the training rows, filled by {@link gradients}. */
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  private readonly labels: Uint8Array;
  private readonly weights: Float64Array;
  private readonly gradientKernel = compileRowGradients();

  private constructor(
    readonly nRows: number,
    readonly nCols: number,
    nSlots: number,
    nWeights: number,
    private readonly workers: Worker[],
    buffers: Record<string, SharedArrayBuffer>,
  ) {
    this.ctrl = new Int32Array(buffers.ctrlBuf!);
    this.bins = new Uint8Array(buffers.binsBuf!);
    this.binsRow = new Uint8Array(buffers.binsRowBuf!);
    this.rows = new Int32Array(buffers.rowsBuf!);
    this.hist = new Float64Array(buffers.histBuf!, 0, (nSlots + 1) * nCols * HIST_STRIDE);
    this.spareSlot = nSlots;
    this.features = new Int32Array(buffers.featuresBuf!);
    this.nBins = new Int32Array(buffers.nBinsBuf!);
    this.route = new Uint8Array(buffers.routeBuf!, 0, 256);
    this.rightRows = new Int32Array(buffers.rightBuf!);
    this.counts = new Int32Array(buffers.countsBuf!);
    this.scores = new Float64Array(buffers.scoresBuf!, 0, nRows);
    this.grad = new Float64Array(buffers.gradBuf!, 0, nRows);
    this.hess = new Float64Array(buffers.hessBuf!, 0, nRows);
    this.labels = new Uint8Array(buffers.labelsBuf!, 0, nRows);
    this.weights = new Float64Array(buffers.weightsBuf!, 0, nWeights);
  }

  /**
   * Allocates the shared buffers, copies labels, weights and the per-feature value-bin counts
   * (codes 0..valueBins[f), plus the missing bin 255) in, and starts `nThreads − 1` workers (none
   * when nThreads is 1).
   */
  static async create(nRows: number, nCols: number, nSlots: number, nThreads: number, labels: Uint8Array, weights: Float64Array | null, valueBins: Int32Array): Promise<HistogramBuilder> {
    const nWeights = weights ? nRows : 0;
    const buffers = {
      ctrlBuf: shared(CTRL.SIZE * 4),
      binsBuf: shared(nRows * nCols),
      binsRowBuf: shared(nRows * nCols),
      rowsBuf: shared(nRows * 4),
      histBuf: shared((nSlots + 1) * nCols * HIST_STRIDE * 8), // the last slot: a leaf's second half
      featuresBuf: shared(nCols * 4),
      nBinsBuf: shared(nCols * 4),
      routeBuf: shared(256),
      rightBuf: shared(nRows * 4),
      countsBuf: shared(nThreads * 4),
      scoresBuf: shared(nRows * 8),
      gradBuf: shared(nRows * 8),
      hessBuf: shared(nRows * 8),
      labelsBuf: shared(nRows),
      weightsBuf: shared(nWeights * 8),
    };
    new Uint8Array(buffers.labelsBuf).set(labels.subarray(0, nRows));
    new Int32Array(buffers.nBinsBuf).set(valueBins.subarray(0, nCols));
    if (weights) new Float64Array(buffers.weightsBuf).set(weights.subarray(0, nRows));
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 1; index < nThreads; index++) {
      const worker = idleWorkers.pop() ?? startWorker();
      ready.push(answer(worker, 'ready'));
      worker.postMessage({ ...buffers, nWeights, nRows, nCols, index, nThreads });
      workers.push(worker);
    }
    const builder = new HistogramBuilder(nRows, nCols, nSlots, nWeights, workers, buffers);
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

  /** Number of threads sharing the work, the calling one included. */
  get nThreads(): number {
    return this.workers.length + 1;
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
   * hessians. A large leaf is summed in two halves of its rows, the second into the spare slot,
   * then added in: on two threads each half is one thread's, and each reads the gradients of its
   * own rows only (split by features, both threads read every row's). Whether a leaf is halved
   * depends on its size alone, so one thread or two add the same numbers in the same order.
   */
  build(slot: number, start: number, end: number): void {
    const { binsRow, nRows, nCols, rows, grad, hess, hist, features, nBins, nFeatures } = this;
    if ((end - start) * nFeatures < MIN_PARALLEL_WORK) {
      this.kernel(binsRow, nRows, nCols, rows, start, end, grad, hess, hist, slot, features, 0, nFeatures, nBins);
      return;
    }
    const mid = start + ((end - start) >> 1);
    const spare = this.spareSlot;
    if (this.nThreads > 1) {
      this.ctrl[CTRL.SLOT] = spare;
      this.ctrl[CTRL.N_FEATURES] = nFeatures;
      this.dispatch(COMMAND.BUILD, mid, end);
      this.kernel(binsRow, nRows, nCols, rows, start, mid, grad, hess, hist, slot, features, 0, nFeatures, nBins);
      this.awaitWorkers();
    } else {
      this.kernel(binsRow, nRows, nCols, rows, start, mid, grad, hess, hist, slot, features, 0, nFeatures, nBins);
      this.kernel(binsRow, nRows, nCols, rows, mid, end, grad, hess, hist, spare, features, 0, nFeatures, nBins);
    }
    this.combine(slot, spare, 1);
  }

  /** Fills grad and hess from scores for the rows rows[0..nInBag), shared among threads. */
  gradients(nInBag: number): void {
    const { scores, labels, weights, grad, hess, rows } = this;
    const threads = nInBag >= MIN_PARALLEL_PARTITION ? this.nThreads : 1;
    if (threads > 1) this.dispatch(COMMAND.GRADIENTS, 0, nInBag);
    this.gradientKernel(scores, labels, weights, grad, hess, rows, 0, Math.floor(nInBag / threads));
    if (threads > 1) this.awaitWorkers();
  }

  /**
   * Stable partition of rows[start..end) by a split on `feature`: rows whose bin code has
   * route[code] = 1 first, in their order, then the others; returns the number sent left.
   */
  partition(start: number, end: number, feature: number, route: Uint8Array): number {
    this.route.set(route);
    const { rows, rightRows, counts } = this;
    const threads = end - start >= MIN_PARALLEL_PARTITION ? this.nThreads : 1;
    if (threads > 1) {
      this.ctrl[CTRL.FEATURE] = feature;
      this.dispatch(COMMAND.PARTITION, start, end);
    }
    const mineEnd = start + Math.floor((end - start) / threads);
    this.partitionKernel(this.bins, this.nRows, rows, start, mineEnd, feature * this.nRows, this.route, rightRows, counts, 0);
    if (threads > 1) this.awaitWorkers();
    // Concatenate the pieces in order: left pieces (each at the start of its thread's range, the
    // first already in place), then right pieces.
    let at = start;
    for (let t = 0; t < threads; t++) {
      const a = start + Math.floor((t * (end - start)) / threads);
      if (at !== a) rows.copyWithin(at, a, a + (counts[t] as number));
      at += counts[t] as number;
    }
    const nLeft = at - start;
    for (let t = 0; t < threads; t++) {
      const a = start + Math.floor((t * (end - start)) / threads);
      const b = start + Math.floor(((t + 1) * (end - start)) / threads);
      const nRight = b - a - (counts[t] as number);
      rows.set(rightRows.subarray(a, a + nRight), at);
      at += nRight;
    }
    return nLeft;
  }

  private dispatch(command: number, start: number, end: number): void {
    const ctrl = this.ctrl;
    ctrl[CTRL.COMMAND] = command;
    ctrl[CTRL.START] = start;
    ctrl[CTRL.END] = end;
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.add(ctrl, CTRL.GENERATION, 1);
    if (Atomics.load(ctrl, CTRL.ASLEEP) > 0) Atomics.notify(ctrl, CTRL.GENERATION);
  }

  private awaitWorkers(): void {
    const ctrl = this.ctrl;
    const workers = this.workers.length;
    for (let spins = 0; spins < SPIN_LIMIT && Atomics.load(ctrl, CTRL.DONE) < workers; spins++);
    if (Atomics.load(ctrl, CTRL.DONE) < workers) {
      Atomics.store(ctrl, CTRL.MAIN_ASLEEP, 1);
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      for (let done = Atomics.load(ctrl, CTRL.DONE); done < workers; done = Atomics.load(ctrl, CTRL.DONE)) {
        // A worker that died (out of memory, killed) would otherwise block the fit for ever.
        if (Atomics.wait(ctrl, CTRL.DONE, done, 1000) === 'timed-out' && Date.now() > deadline) {
          throw new Error(`gbdt histogram workers did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
        }
      }
      Atomics.store(ctrl, CTRL.MAIN_ASLEEP, 0);
    }
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
   * end, past {@link MAX_IDLE_WORKERS}, or when one does not answer); safe to call twice.
   */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    if (workers.length === 0) return;
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
