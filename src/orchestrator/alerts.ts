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

/** Whether a run missed its deadline at `now`: not finished successfully by then. */
export function missedDeadline(run: DagRunRecord, now: Date): boolean {
  if (!run.deadlineAt || run.deadlineAlertedAt || now < run.deadlineAt) return false;
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
