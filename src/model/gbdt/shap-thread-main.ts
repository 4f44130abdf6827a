/** Inside a TreeSHAP worker thread started by {@link explainAcrossThreads}. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadGbdt } from './gbdt-model';
import { explainBlocks, type ShapThreadData } from './shap-threads';

const job = workerData as ShapThreadData;
explainBlocks(loadGbdt(job.model), job.data, job.nRows, job.nCols, job.out, job.next, job.blockRows);
parentPort?.postMessage('done');
