import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Dag } from '../dag';
import type { RunStore } from './run-store';
import type { DagRunRecord } from './states';

/** Where alerts go besides the log and `orchestrator.alerts`. */
export interface AlertSink {
  /** Receives a JSON POST per alert. */
  webhookUrl?: string;
  /** Sends the POST. @defaultValue global fetch */
  post?: (url: string, body: unknown) => Promise<void>;
}

const defaultPost = async (url: string, body: unknown): Promise<void> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
};

/**
 * Whether a run missed its deadline at `now`: not finished successfully by then. A backfill, or a
 * manual run that began after its deadline had passed (a past date run again), cannot miss it:
 * nobody waits for that list.
 */
export function missedDeadline(run: DagRunRecord, now: Date): boolean {
  if (!run.deadlineAt || run.deadlineAlertedAt || now < run.deadlineAt) return false;
  if (run.runType === 'backfill' || (run.runType === 'manual' && (run.startedAt ?? run.createdAt) >= run.deadlineAt)) return false;
  if (run.state === 'success') return run.endedAt !== null && run.endedAt > run.deadlineAt;
  return true;
}

/**
 * Raises one alert per run that missed its deadline (several schedulers may check: the store
 * marks each run once): a log line, a row in `orchestrator.alerts`, and the webhook if configured.
 */
export async function checkDeadlines(dags: Iterable<Dag<unknown>>, store: RunStore, clock: Clock, log: Logger, sink: AlertSink = {}): Promise<number> {
  const now = clock.now();
  let raised = 0;
  for (const dag of dags) {
    if (!dag.deadline) continue;
    for (const run of await store.listRuns({ dagId: dag.id, limit: 20 })) {
      if (!missedDeadline(run, now)) continue;
      if (!(await store.markDeadlineAlerted(run.runId, now))) continue;
      const message = `run ${run.runId} missed its deadline ${dag.deadline} ${dag.timezone} (${run.deadlineAt!.toISOString()}); state ${run.state}`;
      log.error(`deadline missed: ${message}`, { dag: dag.id, run: run.runId });
      await store.addAlert({ dagId: dag.id, runId: run.runId, kind: 'deadline_missed', message, at: now });
      if (sink.webhookUrl) {
        try {
          await (sink.post ?? defaultPost)(sink.webhookUrl, { kind: 'deadline_missed', dagId: dag.id, runId: run.runId, deadline: run.deadlineAt!.toISOString(), state: run.state, message });
        } catch (error) {
          log.warn(`alert webhook failed: ${(error as Error).message}`);
        }
      }
      raised++;
    }
  }
  return raised;
}

/** Options of {@link withDeadlineWatch}. */
export interface DeadlineWatchOptions {
  store: RunStore;
  clock: Clock;
  log: Logger;
  alerts?: AlertSink;
  /** How often deadlines are checked while `drive` runs. @defaultValue 60000 */
  everyMs?: number;
}

/**
 * Runs `drive` (an in-process run: `dags run`, the demo, a run triggered from `relance serve`)
 * while checking the deadlines of `dags` every `everyMs` and once when it ends, so that a late
 * run alerts without `relance scheduler`. A failed check is logged, never fails the run.
 */
export async function withDeadlineWatch<T>(dags: Iterable<Dag<unknown>>, options: DeadlineWatchOptions, drive: () => Promise<T>): Promise<T> {
  const list = [...dags].filter((d) => d.deadline);
  if (list.length === 0) return drive();
  const check = () =>
    checkDeadlines(list, options.store, options.clock, options.log, options.alerts).catch((error: unknown) => {
      options.log.warn(`deadline check failed: ${(error as Error).message}`);
      return 0;
    });
  const timer = setInterval(() => void check(), options.everyMs ?? 60_000);
  timer.unref();
  try {
    return await drive();
  } finally {
    clearInterval(timer);
    await check();
  }
}
