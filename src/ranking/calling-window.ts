/**
 * When a debtor may be called on the list date: the allowed hours of its compliance regime in its
 * own time zone, on allowed weekdays that are not public holidays, met with the working hours of
 * a team in the team's time zone.
 */
import type { IsoDate } from '../core/ids';
import type { ComplianceRegime, TeamConfig } from '../config/schema/ranking';
import { frenchHolidayCalendar, publicHolidayOn } from './public-holidays';
import { isoWeekday, localTimeToInstant, parseHours } from './zoned-time';

/** A time interval [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

/** Why a debtor cannot be called on a day, or the interval in which it may be. */
export type CallingDay = { allowed: true; interval: Interval } | { allowed: false; rule: 'calling_day'; detail: string };

/** Where a debtor lives, as far as calling hours are concerned. */
export interface DebtorLocale {
  timeZone: string;
  postalCode?: string | null;
}

/**
 * The interval of `listDate`, in the debtor's local time, in which the regime allows calls; or
 * the reason why none is allowed that day (weekday, public holiday).
 */
export function allowedCallingDay(listDate: IsoDate, debtor: DebtorLocale, regime: ComplianceRegime): CallingDay {
  const weekday = isoWeekday(listDate);
  if (!regime.weekdays.includes(weekday)) return { allowed: false, rule: 'calling_day', detail: `no calls on ${WEEKDAYS[weekday - 1]} (allowed: ${regime.weekdays.map((d) => WEEKDAYS[d - 1]).join(', ')})` };
  if (regime.holidays === 'FR') {
    const holiday = publicHolidayOn(listDate, frenchHolidayCalendar(debtor.postalCode));
    if (holiday) return { allowed: false, rule: 'calling_day', detail: `public holiday: ${holiday}` };
  }
  const { from, to } = parseHours(regime.hours);
  return { allowed: true, interval: { start: localTimeToInstant(listDate, from, debtor.timeZone), end: localTimeToInstant(listDate, to, debtor.timeZone) } };
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** A team's working interval on `listDate`, in its own time zone. */
export function teamInterval(listDate: IsoDate, team: Pick<TeamConfig, 'hours' | 'timeZone'>, defaultTimeZone: string): Interval {
  const { from, to } = parseHours(team.hours);
  const tz = team.timeZone ?? defaultTimeZone;
  return { start: localTimeToInstant(listDate, from, tz), end: localTimeToInstant(listDate, to, tz) };
}

/** The common part of two intervals, or undefined when they do not meet. */
export function intersect(a: Interval, b: Interval): Interval | undefined {
  const start = Math.max(a.start.getTime(), b.start.getTime());
  const end = Math.min(a.end.getTime(), b.end.getTime());
  return end > start ? { start: new Date(start), end: new Date(end) } : undefined;
}

/** Length of an interval in minutes. */
export function intervalMinutes(i: Interval): number {
  return (i.end.getTime() - i.start.getTime()) / 60000;
}
