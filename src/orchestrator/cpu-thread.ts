import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RelanceConfig } from '../config';
import type { Dag, Json, TaskContext } from '../dag';

/** Where a worker thread finds what a task needs: the resources factory, by module path and export. */
export interface CpuThreadOptions {
  /** Absolute path of the module exporting the resources factory (`(config) => Promise<R>`). */
  resourcesModule: string;
  /** @defaultValue 'default' */
  resourcesExport?: string;
  config: RelanceConfig;
}

/** What the parent sends to the thread. */
export interface CpuThreadData {
  entry: string;
  dagFile: string;
  dagId: string;
  taskId: string;
  item: Json | undefined;
  context: { runId: string; mapIndex?: number; logicalDate: string; ds: string; start: string; end: string; runType: string; conf: Record<string, unknown>; tryNumber: number };
  resourcesModule: string;
  resourcesExport: string;
  config: unknown;
}

/** Messages from the thread. */
export type CpuThreadMessage =
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }
  | { type: 'upstream'; id: number; taskId: string }
  | { type: 'result'; value: Json | null }
  | { type: 'error'; name: string; message: string; retryable?: boolean };

// tsx is resolved from relance's own install, not from the process's working directory.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (/\\.ts$/.test(workerData.entry)) require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(workerData.entry);
`;

/**
 * Runs `cpu: true` tasks in a worker thread, so that the worker's event loop (and BullMQ's lock
 * renewal) stays free during a long computation. The thread imports the DAG's file and builds its
 * own resources with the factory; logs and `ctx.upstream` go through the parent. A timeout
 * terminates the thread: the computation really stops. DAGs not loaded from a file run in-process.
 */
export function cpuThreadExecutor<R>(files: ReadonlyMap<string, string>, options: CpuThreadOptions): (dag: Dag<R>, ctx: TaskContext<R>, item: Json | undefined) => Promise<Json | void> {
  const entry = path.join(__dirname, `cpu-thread-main${path.extname(__filename)}`);
  return async (dag, ctx, item) => {
    const dagFile = files.get(dag.id);
    const spec = dag.tasks.get(ctx.taskId)!;
    if (!dagFile) return spec.run(ctx, item);
    const data: CpuThreadData = {
      entry, dagFile, dagId: dag.id, taskId: ctx.taskId, item, resourcesModule: options.resourcesModule, resourcesExport: options.resourcesExport ?? 'default', config: options.config,
      context: { runId: ctx.runId, mapIndex: ctx.mapIndex, logicalDate: ctx.logicalDate.toISOString(), ds: ctx.ds, start: ctx.dataInterval.start.toISOString(), end: ctx.dataInterval.end.toISOString(), runType: ctx.runType, conf: { ...ctx.conf }, tryNumber: ctx.tryNumber },
    };
    const thread = new Worker(BOOTSTRAP, { eval: true, workerData: data });
    return new Promise<Json | void>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        ctx.signal.removeEventListener('abort', onAbort);
        fn();
        void thread.terminate();
      };
      const onAbort = (): void => finish(() => reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted')));
      ctx.signal.addEventListener('abort', onAbort);
      thread.on('message', (m: CpuThreadMessage) => {
        if (m.type === 'log') ctx.log[m.level](m.message, m.fields);
        else if (m.type === 'upstream') void ctx.upstream(m.taskId).then((value) => thread.postMessage({ type: 'upstream', id: m.id, value }), (e: Error) => thread.postMessage({ type: 'upstream', id: m.id, error: e.message }));
        else if (m.type === 'result') finish(() => resolve(m.value ?? undefined));
        else finish(() => reject(Object.assign(new Error(m.message), { name: m.name, ...(m.retryable !== undefined ? { retryable: m.retryable } : {}) })));
      });
      thread.on('error', (error) => finish(() => reject(error)));
      thread.on('exit', (code) => finish(() => reject(new Error(`task thread exited with code ${code} before finishing`))));
    });
  };
}
