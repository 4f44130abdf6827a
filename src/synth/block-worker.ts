/**
 * Worker-thread entry of the block pool: generates the blocks it is sent, for the spec it was
 * started with, and posts each result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateBlock, type BlockSpec } from './block';

const spec = workerData as BlockSpec;
parentPort?.on('message', (block: number) => {
  parentPort?.postMessage(generateBlock(spec, block));
});
