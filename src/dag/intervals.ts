import { ValidationError } from '../core/errors';
import type { Dag } from './define-dag';
import { fromLocal, localIsoDate, toLocal } from './zoned-time';

/** The parts of a DAG that interval arithmetic reads. */
export type ScheduledDag = Pick<Dag<unknown>, 'cron' | 'timezone' | 'startDate' | 'catchup' | 'deadline'>;

/** The period a run covers, `[start, end)`; `start` is the run's logical date. */
export interface DataInterval {
  start: Date;
  end: Date;
}

/**
 * Airflow's semantics: a scheduled run covers the interval between two schedule occurrences, its
 * logical date is the interval's start, and it is started once the interval has ended. The
 * nightly run with `ds = 2026-03-10` covers 10 March 02:00 → 11 March 02:00 and starts on
 * 11 March at 02:00.
 */
export function intervalStartingAt(dag: ScheduledDag, start: Date): DataInterval {
  if (!dag.cron) return { start, end: start };
  return { start, end: dag.cron.next(start) };
}

/**
 * The interval whose logical date falls on a local calendar date (`dags trigger --date`,
 * backfills): the first schedule occurrence on that date; for an unscheduled DAG or a date with
 * no occurrence, local midnight with an interval ending at the next occurrence.
 */
export function intervalForDate(dag: ScheduledDag, isoDate: string): DataInterval {
  const { year: y, month: m, day: d } = parseIsoDate(isoDate);
  const midnight = fromLocal({ year: y, month: m, day: d, hour: 0, minute: 0 }, dag.timezone);
  if (!dag.cron) return { start: midnight, end: midnight };
  const first = dag.cron.matches(midnight) ? midnight : dag.cron.next(midnight);
  if (localIsoDate(first, dag.timezone) === isoDate) return intervalStartingAt(dag, first);
  return { start: midnight, end: first };
}

/** The parts of a calendar date `YYYY-MM-DD`; refuses malformed and impossible dates (`2026-02-30`). */
export function parseIsoDate(isoDate: string, field = 'date'): { year: number; month: number; day: number } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new ValidationError(`date '${isoDate}' must be YYYY-MM-DD`, { context: { field } });
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ValidationError(`${isoDate} is not a date (no such day in the calendar)`, { context: { field } });
  }
  return { year, month, day };
}

/**
 * The schedule interval an instant falls in: its start is the latest schedule occurrence at or
 * before the instant. `05:00Z` on a night scheduled at `01:00Z` is that night's run, not a second
 * one. An unscheduled DAG has no intervals: the instant itself.
 */
export function intervalContaining(dag: ScheduledDag, instant: Date): DataInterval {
  if (!dag.cron) return { start: instant, end: instant };
  return intervalStartingAt(dag, dag.cron.prev(new Date(instant.getTime() + 1)));
}

/** The first scheduled logical date of a DAG (first occurrence on or after its start date). */
export function firstLogicalDate(dag: ScheduledDag): Date | null {
  if (!dag.cron) return null;
  return intervalForDate(dag, dag.startDate).start;
}

/**
 * Intervals whose end lies in `(after, now]` and whose start is not before the DAG's start date:
 * the runs the scheduler owes. With catchup off only the latest one is kept.
 */
export function dueIntervals(dag: ScheduledDag, now: Date, lastStart: Date | null, limit = 1000): DataInterval[] {
  if (!dag.cron) return [];
  const first = firstLogicalDate(dag)!;
  const out: DataInterval[] = [];
  let start = lastStart ? dag.cron.next(lastStart) : first;
  if (!dag.catchup) {
    const latestEnd = dag.cron.prev(new Date(now.getTime() + 1));
    const latestStart = dag.cron.prev(latestEnd);
    if (latestStart < first || (lastStart && latestStart <= lastStart)) return [];
    return [intervalStartingAt(dag, latestStart)];
  }
  while (out.length < limit) {
    const interval = intervalStartingAt(dag, start);
    if (interval.end > now) break;
    out.push(interval);
    start = interval.end;
  }
  return out;
}

/**
 * The instant by which a run must have finished: the first `HH:MM` (local) at or after the end of
 * its data interval, i.e. the morning after a nightly run starts.
 */
export function deadlineFor(dag: ScheduledDag, interval: DataInterval): Date | null {
  if (!dag.deadline) return null;
  const [hour, minute] = dag.deadline.split(':').map(Number) as [number, number];
  const l = toLocal(interval.end, dag.timezone);
  let at = fromLocal({ year: l.year, month: l.month, day: l.day, hour, minute }, dag.timezone);
  if (at < interval.end) {
    const nextDay = new Date(Date.UTC(l.year, l.month - 1, l.day + 1));
    at = fromLocal({ year: nextDay.getUTCFullYear(), month: nextDay.getUTCMonth() + 1, day: nextDay.getUTCDate(), hour, minute }, dag.timezone);
  }
  return at;
}
