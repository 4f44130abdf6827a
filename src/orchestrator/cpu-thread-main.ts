/**
 * Inside a worker thread started by {@link cpuThreadExecutor}: loads the DAG file and the
 * resources factory, runs the task once, reports logs and the result to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classifyError } from '../core/retryable';
import type { Dag, Json, TaskContext } from '../dag';
import type { CpuThreadData, CpuThreadMessage } from './cpu-thread';

const data = workerData as CpuThreadData;
const port = parentPort!;
const post = (m: CpuThreadMessage): void => port.postMessage(m);

let nextId = 0;
const pending = new Map<number, { resolve: (v: Json | undefined) => void; reject: (e: Error) => void }>();
port.on('message', (m: { type: string; id: number; value?: Json; error?: string }) => {
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.error) p.reject(new Error(m.error));
  else p.resolve(m.value);
});

function logger(fields: Record<string, unknown> = {}): TaskContext<unknown>['log'] {
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) => post({ type: 'log', level, message, fields: { ...fields, ...extra } });
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (more) => logger({ ...fields, ...more }) };
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(data.dagFile) as Record<string, unknown>;
  const dag = [mod.default, ...Object.values(mod)].find((v) => (v as Dag<unknown> | undefined)?.id === data.dagId) as Dag<unknown> | undefined;
  const spec = dag?.tasks.get(data.taskId);
  if (!spec) throw new Error(`${data.dagFile} has no task ${data.dagId}.${data.taskId}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = (require(data.resourcesModule) as Record<string, unknown>)[data.resourcesExport] as (config: unknown) => Promise<{ close(): Promise<void> }>;
  const resources = await factory(data.config);
  try {
    const c = data.context;
    const ctx: TaskContext<unknown> = {
      dagId: data.dagId, runId: c.runId, taskId: data.taskId, ...(c.mapIndex !== undefined ? { mapIndex: c.mapIndex } : {}), logicalDate: new Date(c.logicalDate), ds: c.ds,
      dataInterval: { start: new Date(c.start), end: new Date(c.end) }, runType: c.runType as TaskContext<unknown>['runType'], conf: c.conf, tryNumber: c.tryNumber,
      log: logger(), signal: new AbortController().signal, resources,
      upstream: (taskId) => new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        post({ type: 'upstream', id, taskId });
      }),
    };
    const value = await spec.run(ctx, data.item);
    post({ type: 'result', value: value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json) });
  } finally {
    await resources.close();
  }
}

main().catch((error: unknown) => {
  const e = error as { name?: string; message?: string };
  // The error's codes and causes stay in this thread: the classifier's verdict crosses instead.
  const { verdict } = classifyError(error);
  post({ type: 'error', name: e.name ?? 'Error', message: e.message ?? String(error), ...(verdict !== 'unknown' ? { retryable: verdict === 'transient' } : {}) });
});
