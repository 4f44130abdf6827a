/**
 * Manual runs (`dags trigger | run | backfill`, the API's trigger) go through the scheduler's
 * rules: one run per night, only the nights the schedule has, nothing before the DAG's start date
 * or before its night is over, nothing on a paused DAG — each but the first waived by `force`.
 * The run is recorded `queued`; it starts through {@link RunStore.admitQueuedRuns}, within
 * `maxActiveRuns`, like a scheduled one.
 */
import type { Clock } from '../core/clock';
import { ConflictError, ValidationError } from '../core/errors';
import { firstLogicalDate, intervalContaining, intervalForDate, localIsoDate, parseIsoDate, type Dag, type DataInterval, type RunType, type ScheduledDag } from '../dag';
import { createOrClearRun } from './inline-executor';
import type { RunStore } from './run-store';
import type { DagRunRecord } from './states';

/** What a manual trigger asks for. */
export interface TriggerRequest {
  /** An instant: the run of the schedule interval it falls in. Without it or `date`: the latest interval that has ended. */
  logicalDate?: Date;
  /** A local calendar date `YYYY-MM-DD`: the scheduled run of that night. */
  date?: string;
  /** @defaultValue {} */
  conf?: Record<string, unknown>;
  /** @defaultValue 'manual' */
  runType?: Extract<RunType, 'manual' | 'backfill'>;
  /** When the night has an ended run: clear its tasks and run it again. @defaultValue false */
  rerun?: boolean;
  /** Accept a paused DAG, a night before the start date or one not over yet. @defaultValue false */
  force?: boolean;
}

const FORCE = 'pass --force (API: "force": true) to run it anyway';

function at(instant: Date, dag: ScheduledDag): string {
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: dag.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(instant);
  return `${local} ${dag.timezone}`;
}

/**
 * The interval of the scheduled run on a local date. A scheduled DAG with no occurrence that day
 * (a weekly DAG on a Tuesday) has no such night: refused, naming the nearest ones.
 */
export function intervalOfNight(dag: ScheduledDag & { id: string; schedule: string | null }, isoDate: string, field = 'date'): DataInterval {
  parseIsoDate(isoDate, field);
  const interval = intervalForDate(dag, isoDate);
  if (dag.cron && !dag.cron.matches(interval.start)) {
    const before = localIsoDate(dag.cron.prev(interval.start), dag.timezone);
    const after = localIsoDate(interval.end, dag.timezone);
    throw new ValidationError(`dag ${dag.id} has no run on ${isoDate} (schedule ${dag.schedule} ${dag.timezone}); the nearest are ${before} and ${after}`, { context: { dagId: dag.id, field } });
  }
  return interval;
}

/**
 * Refuses an interval that starts before the DAG's start date or has not ended at `now`, unless
 * `force`. Pure: the caller gives the time.
 */
export function checkInterval(dag: ScheduledDag & { id: string }, interval: DataInterval, now: Date, force = false, field = 'date'): void {
  if (force) return;
  const ds = localIsoDate(interval.start, dag.timezone);
  const first = firstLogicalDate(dag);
  if (first ? interval.start < first : ds < dag.startDate) {
    throw new ValidationError(`dag ${dag.id}: ${ds} is before the DAG's startDate ${dag.startDate}; ${FORCE}`, { context: { dagId: dag.id, field } });
  }
  if (interval.end > now) {
    throw new ValidationError(`dag ${dag.id}: the night of ${ds} has not ended (its interval ends ${at(interval.end, dag)}), so its data is not complete; ${FORCE}`, { context: { dagId: dag.id, field } });
  }
}

/** The interval a trigger means, normalised to the schedule and checked (see {@link TriggerRequest}). */
export function triggerInterval(dag: Dag<unknown>, request: Pick<TriggerRequest, 'logicalDate' | 'date' | 'force'>, now: Date): DataInterval {
  let interval: DataInterval;
  if (request.logicalDate) {
    if (Number.isNaN(request.logicalDate.getTime())) throw new ValidationError('logicalDate is not a valid instant', { context: { dagId: dag.id, field: 'logicalDate' } });
    interval = intervalContaining(dag, request.logicalDate);
  } else if (request.date) {
    interval = intervalOfNight(dag, request.date);
  } else if (dag.cron) {
    const end = dag.cron.prev(new Date(now.getTime() + 1));
    interval = { start: dag.cron.prev(end), end };
  } else {
    interval = { start: now, end: now };
  }
  checkInterval(dag, interval, now, request.force, request.logicalDate ? 'logicalDate' : 'date');
  return interval;
}

/** Refuses a paused DAG (the stored choice wins over the configuration) unless `force`. */
export async function checkNotPaused(dag: Dag<unknown>, store: RunStore, force = false): Promise<void> {
  if (force) return;
  const paused = (await store.isPaused(dag.id)) ?? dag.paused;
  if (paused) throw new ConflictError(`dag ${dag.id} is paused: unpause it (relance dags unpause ${dag.id}) or ${FORCE}`, { context: { dagId: dag.id } });
}

/**
 * Records a manual (or backfill) run, `queued`, after the checks above; a second run of the same
 * night is a {@link ConflictError} unless `rerun` clears an ended one.
 */
export async function recordTriggeredRun<R>(dag: Dag<R>, store: RunStore, request: TriggerRequest, clock: Clock): Promise<DagRunRecord> {
  await checkNotPaused(dag as Dag<unknown>, store, request.force);
  const interval = triggerInterval(dag as Dag<unknown>, request, clock.now());
  return createOrClearRun(dag, store, interval, { conf: request.conf, runType: request.runType ?? 'manual', rerun: request.rerun });
}

/** Why a queued run waits: `queued behind <the DAG's running runs> (maxActiveRuns N)`. */
export async function describeWait(dag: Dag<unknown>, store: RunStore): Promise<string> {
  const running = await store.listRuns({ dagId: dag.id, states: ['running'] });
  const ahead = running.map((r) => r.runId).sort();
  return `queued behind ${ahead.join(', ') || 'older queued runs'} (maxActiveRuns ${dag.maxActiveRuns})`;
}
