/**
 * The lead's calendar: for each list date, whether there is a list and, when there is none, why
 * (a weekend, a public holiday, the night's run failed or has not run, every debtor excluded);
 * and whether the team is working from a stale list. Pure: the rows come from sql/api/lead-days.sql.
 */
import { addDays, type IsoDate } from '../core/ids';
import { publicHolidayOn } from '../ranking/public-holidays';

/** Why a list date has no debtor to call. */
export type EmptyReason = 'weekend' | 'holiday' | 'run_failed' | 'run_running' | 'not_run' | 'upcoming' | 'all_excluded';

/** Why a list is stale: marked so by the publication, or tonight's run failed or did not run. */
export type StaleReason = 'marked' | 'run_failed' | 'not_run';

/** One date of the calendar as the SQL gives it. */
export interface LeadDayRow {
  listDate: IsoDate;
  listed: number;
  published: boolean;
  markedStale: boolean;
  runId: string | null;
  runState: string | null;
}

/** The calling days of the office (the default compliance regime). */
export interface CallingDays {
  /** ISO weekdays with calls (1 Monday … 7 Sunday). */
  weekdays: readonly number[];
  /** Public-holiday calendar with no calls. */
  holidays: 'none' | 'FR';
}

/** One date of the calendar with its status. */
export interface LeadDay extends LeadDayRow {
  /** Null when the date has debtors to call. */
  emptyReason: EmptyReason | null;
  /** The holiday's name when `emptyReason` is `holiday`. */
  holiday: string | null;
  /** The list the team works from is not tonight's. */
  stale: boolean;
  staleReason: StaleReason | null;
}

/** ISO weekday of a date (1 Monday … 7 Sunday). */
export function isoWeekday(date: IsoDate): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Whether calls are made on `date`, and if not, why. */
export function offDay(date: IsoDate, days: CallingDays): { reason: 'weekend' | 'holiday'; holiday: string | null } | null {
  if (!days.weekdays.includes(isoWeekday(date))) return { reason: 'weekend', holiday: null };
  const holiday = days.holidays === 'FR' ? publicHolidayOn(date, { country: 'FR' }) : undefined;
  return holiday ? { reason: 'holiday', holiday } : null;
}

/** The status of one date, `today` being the office's date now. */
export function leadDay(row: LeadDayRow, days: CallingDays, today: IsoDate): LeadDay {
  const off = offDay(row.listDate, days);
  let emptyReason: EmptyReason | null = null;
  if (row.listed === 0) {
    if (off) emptyReason = off.reason;
    else if (row.runState === 'failed') emptyReason = 'run_failed';
    else if (row.runState === 'running' || row.runState === 'queued') emptyReason = 'run_running';
    else if (row.published) emptyReason = 'all_excluded';
    else if (row.listDate > today) emptyReason = 'upcoming';
    else emptyReason = 'not_run';
  }
  // A calling day whose night failed (or never ran) leaves the team on an older list.
  let staleReason: StaleReason | null = null;
  if (row.markedStale) staleReason = 'marked';
  else if (!off && row.listDate <= today && row.runState === 'failed') staleReason = 'run_failed';
  else if (!off && row.listDate <= today && !row.published && row.runState === null) staleReason = 'not_run';
  return { ...row, emptyReason, holiday: off?.holiday ?? null, stale: staleReason !== null, staleReason };
}

/** The calendar from `to` back `n` days, newest first, every date present even without a row. */
export function leadCalendar(rows: readonly LeadDayRow[], to: IsoDate, n: number, days: CallingDays, today: IsoDate): LeadDay[] {
  const byDate = new Map(rows.map((r) => [r.listDate, r]));
  return Array.from({ length: n }, (_, i) => {
    const date = addDays(to, -i);
    return leadDay(byDate.get(date) ?? { listDate: date, listed: 0, published: false, markedStale: false, runId: null, runState: null }, days, today);
  });
}
