/**
 * Several independent model fits (a training's kinds, and each one's out-of-fold refits) run side
 * by side, one per worker thread, each fit on one thread. A GBDT fit shares its own work among
 * threads that meet at a barrier for every histogram, partition and gradient pass, and between
 * them (tree growth, split search, the logistic's iterations) one core waits; whole fits side by
 * side keep every core busy. Big fits stay one at a time on the calling thread, with their own
 * threads: side by side, each would hold its copy of the rows at once. Every fit gives the same
 * model on one thread as on several, so this choice never changes a result.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Dataset, FittedModel, SerializedModel } from './classifier';
import { autoThreads } from './gbdt/cpu-budget';
import { classifierFor, loadFittedModel, type ModelKind, type ModelKindOptions } from './model-kinds';
import { subsetDataset } from './dataset-ops';
import { fitWithoutHeld, type FoldSplit } from './out-of-fold-calibration';

/** One fit: a kind with its options, the rows to fit on and, for early stopping, the validation rows. */
export interface FitJob {
  readonly kind: ModelKind;
  readonly options?: ModelKindOptions;
  /** The rows; with `without`, all but that split's held rows. */
  readonly train: Dataset;
  /**
   * An out-of-fold refit: fitted without these held rows. On the calling thread its rows are a view
   * of `train` moved in place while it fits (so such fits of one `train` run one at a time); a fit
   * thread gets a copy.
   */
  readonly without?: FoldSplit;
  readonly validation?: Dataset;
  readonly seed: number;
}

/** A fitted job: its model and the seconds its fit took. */
export interface FitResult {
  readonly model: FittedModel;
  readonly seconds: number;
}

/** Options of {@link fitSideBySide}. */
export interface FitSideBySideOptions {
  /** Fits at once; 1 fits one at a time on the calling thread. @defaultValue autoThreads() */
  readonly threads?: number;
  /**
   * Above this many cells (rows × columns) in a job's rows, the jobs run one at a time on the
   * calling thread. @defaultValue {@link SIDE_BY_SIDE_MAX_CELLS}
   */
  readonly maxCells?: number;
}

/**
 * Fits of at most this many cells (about 260,000 rows of an office's 38 features, 80 MB) run side
 * by side: each worker holds a copy of its rows while it fits.
 */
export const SIDE_BY_SIDE_MAX_CELLS = 10_000_000;

/** What a fit thread receives, and what it answers. */
export interface FitThreadRequest {
  readonly index: number;
  readonly kind: ModelKind;
  readonly options: ModelKindOptions;
  readonly train: Dataset;
  readonly validation?: Dataset;
  readonly seed: number;
}
export type FitThreadReply = { index: number; model: SerializedModel; seconds: number } | { index: number; error: string; name: string };

// tsx is resolved from relance's own install, not from the process's working directory.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (/\\.ts$/.test(workerData.entry)) require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(workerData.entry);
`;

/** The rows a fit thread receives: a fold's are copied when its fit starts, not before. */
function rowsOf(job: FitJob): Dataset {
  return job.without ? subsetDataset(job.train, job.without.fitRows) : job.train;
}

/** Rows × columns a job fits on. */
function cellsOf(job: FitJob): number {
  return (job.without ? job.without.fitRows.length : job.train.nRows) * job.train.nCols;
}

/** The fields of a Dataset only: what is cloned into a thread. */
function bare(d: Dataset): Dataset {
  return { nRows: d.nRows, nCols: d.nCols, data: d.data, featureNames: d.featureNames, y: d.y, ...(d.weights ? { weights: d.weights } : {}), ...(d.categorical ? { categorical: d.categorical } : {}) };
}

/** Fits one job on the calling thread. */
export async function fitJob(job: FitJob, options: ModelKindOptions = job.options ?? {}): Promise<FitResult> {
  const started = process.hrtime.bigint();
  const classifier = classifierFor(job.kind, options);
  const fitOptions = job.validation ? { seed: job.seed, validation: job.validation } : { seed: job.seed };
  const model = job.without ? await fitWithoutHeld(classifier, job.train, job.without, fitOptions) : await classifier.fit(job.train, fitOptions);
  return { model, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Fits every job; the results are in the order of the jobs. */
export async function fitSideBySide(jobs: readonly FitJob[], options: FitSideBySideOptions = {}): Promise<FitResult[]> {
  const threads = Math.min(options.threads ?? autoThreads(), jobs.length);
  const maxCells = options.maxCells ?? SIDE_BY_SIDE_MAX_CELLS;
  const cells = (d: Dataset | undefined): number => (d ? d.nRows * d.nCols : 0);
  const big = jobs.some((j) => cellsOf(j) > maxCells || cells(j.validation) > maxCells);
  if (threads <= 1 || big) {
    const results: FitResult[] = [];
    for (const job of jobs) results.push(await fitJob(job));
    return results;
  }
  return fitOnThreads(jobs, threads);
}

async function fitOnThreads(jobs: readonly FitJob[], threads: number): Promise<FitResult[]> {
  const entry = path.join(__dirname, `fit-thread-main${path.extname(__filename)}`);
  const results: (FitResult | undefined)[] = new Array(jobs.length);
  const workers: Worker[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry } });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          const send = (): void => {
            if (next >= jobs.length) return resolve();
            const index = next++;
            const job = jobs[index] as FitJob;
            try {
              const train = rowsOf(job);
              const request: FitThreadRequest = { index, kind: job.kind, options: oneThread(job.options ?? {}), train: bare(train), ...(job.validation ? { validation: bare(job.validation) } : {}), seed: job.seed };
              worker.postMessage(request);
            } catch (error) {
              reject(error);
            }
          };
          worker.on('message', (reply: FitThreadReply) => {
            if ('error' in reply) return reject(Object.assign(new Error(reply.error), { name: reply.name }));
            results[reply.index] = { model: loadFittedModel(reply.model), seconds: reply.seconds };
            send();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (next >= jobs.length && code === 0 ? resolve() : reject(new Error(`fit thread exited with code ${code}`))));
          send();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results as FitResult[];
}

/** The options with every GBDT fit on one thread: the threads are the fits themselves. */
function oneThread(options: ModelKindOptions): ModelKindOptions {
  return { ...options, gbdt: { ...options.gbdt, nThreads: 1 } };
}
