/**
 * Yields the blocks of an export in order, generated inline or by worker threads. With threads,
 * a bounded number of blocks is in flight ahead of the one being written, so memory stays flat.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BLOCK_SIZE, generateBlock, type BlockResult, type BlockSpec } from './block';

/** Blocks in flight per thread. */
const AHEAD_PER_THREAD = 2;

interface Waiter {
  resolve(result: BlockResult): void;
  reject(error: unknown): void;
}

/** Source of a worker: block-worker, with the TypeScript loader when running from sources. */
function workerSource(): string {
  const ext = extname(__filename);
  const entry = JSON.stringify(join(__dirname, `block-worker${ext}`));
  const register = ext === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();` : '';
  return `${register}require(${entry});`;
}

/** The blocks of `spec`, in order; `threads` ≤ 1 generates them on the calling thread. */
export async function* blocksInOrder(spec: BlockSpec, threads: number): AsyncGenerator<BlockResult> {
  const total = Math.ceil(spec.debtors / BLOCK_SIZE);
  if (threads <= 1 || total <= 1) {
    for (let b = 0; b < total; b++) yield generateBlock(spec, b);
    return;
  }
  const count = Math.min(threads, total);
  const waiting: Waiter[][] = [];
  const workers: Worker[] = [];
  for (let w = 0; w < count; w++) {
    const queue: Waiter[] = [];
    const worker = new Worker(workerSource(), { eval: true, workerData: spec });
    worker.on('message', (result: BlockResult) => queue.shift()?.resolve(result));
    worker.on('error', (error) => queue.splice(0).forEach((waiter) => waiter.reject(error)));
    worker.on('exit', (code) => queue.splice(0).forEach((waiter) => waiter.reject(new Error(`synth worker exited with code ${code}`))));
    waiting.push(queue);
    workers.push(worker);
  }
  const inFlight = new Map<number, Promise<BlockResult>>();
  let dispatched = 0;
  const dispatch = (block: number): void => {
    const w = block % count;
    const promise = new Promise<BlockResult>((resolve, reject) => waiting[w]!.push({ resolve, reject }));
    promise.catch(() => undefined);
    inFlight.set(block, promise);
    workers[w]!.postMessage(block);
  };
  try {
    for (let b = 0; b < total; b++) {
      while (dispatched < total && dispatched < b + count * AHEAD_PER_THREAD) dispatch(dispatched++);
      const result = await inFlight.get(b)!;
      inFlight.delete(b);
      yield result;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
