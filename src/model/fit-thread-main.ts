/** Inside a fit thread started by {@link fitSideBySide}: fits each job it is sent and answers its model's JSON. */
import { parentPort } from 'node:worker_threads';
import { fitJob, type FitThreadReply, type FitThreadRequest } from './fit-side-by-side';

parentPort?.on('message', (request: FitThreadRequest) => {
  fitJob({ kind: request.kind, train: request.train, ...(request.validation ? { validation: request.validation } : {}), seed: request.seed }, request.options).then(
    (r): void => parentPort?.postMessage({ index: request.index, model: r.model.toJSON(), seconds: r.seconds } satisfies FitThreadReply),
    (error: unknown): void => parentPort?.postMessage({ index: request.index, error: (error as Error).message, name: (error as Error).name } satisfies FitThreadReply),
  );
});
