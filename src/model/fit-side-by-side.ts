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

/** One fit: a kind with its options, the rows to fit on and, for early stopping, the validation rows. */
export interface FitJob {
  readonly kind: ModelKind;
  readonly options?: ModelKindOptions;
  /** The rows, or how to make them when the fit starts (a fold's copy need not wait in memory). */
  readonly train: Dataset | (() => Dataset);
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

function rowsOf(job: FitJob): Dataset {
  return typeof job.train === 'function' ? job.train() : job.train;
}

/** The fields of a Dataset only: what is cloned into a thread. */
function bare(d: Dataset): Dataset {
  return { nRows: d.nRows, nCols: d.nCols, data: d.data, featureNames: d.featureNames, y: d.y, ...(d.weights ? { weights: d.weights } : {}), ...(d.categorical ? { categorical: d.categorical } : {}) };
}

/** Fits one job on the calling thread. */
export async function fitJob(job: FitJob, options: ModelKindOptions = job.options ?? {}): Promise<FitResult> {
  const started = process.hrtime.bigint();
  const train = rowsOf(job);
  const model = await classifierFor(job.kind, options).fit(train, job.validation ? { seed: job.seed, validation: job.validation } : { seed: job.seed });
  return { model, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Fits every job; the results are in the order of the jobs. */
export async function fitSideBySide(jobs: readonly FitJob[], options: FitSideBySideOptions = {}): Promise<FitResult[]> {
  const threads = Math.min(options.threads ?? autoThreads(), jobs.length);
  const maxCells = options.maxCells ?? SIDE_BY_SIDE_MAX_CELLS;
  const cells = (d: Dataset | undefined): number => (d ? d.nRows * d.nCols : 0);
  // Rows made when their fit starts are checked then (see fitOnThreads).
  const big = jobs.some((j) => (typeof j.train === 'function' ? 0 : cells(j.train)) > maxCells || cells(j.validation) > maxCells);
  if (threads <= 1 || big) {
    const results: FitResult[] = [];
    for (const job of jobs) results.push(await fitJob(job));
    return results;
  }
  return fitOnThreads(jobs, threads, maxCells);
}

async function fitOnThreads(jobs: readonly FitJob[], threads: number, maxCells: number): Promise<FitResult[]> {
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
              if (train.nRows * train.nCols > maxCells) {
                // A job made bigger than its set let on: fit it here, with its own threads.
                fitJob({ ...job, train }).then((r) => {
                  results[index] = r;
                  send();
                }, reject);
                return;
              }
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
