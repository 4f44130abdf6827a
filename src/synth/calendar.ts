/**
 * The day grid of a synthetic export: day 0 is the first day of history, `asOf` is day
 * `asOfIndex`, and the grid extends past it for the ground-truth window and the horizon.
 * Per-day factors (weekday, pay-day, season, office calling days) and date strings in every
 * export format are precomputed so the simulation loop does no date arithmetic.
 */

/** How the day grid is laid out. */
export interface CalendarSpec {
  /** Export date, `YYYY-MM-DD`: history holds the days strictly before it. */
  asOf: string;
  /** Months of history before `asOf`. */
  historyMonths: number;
  /** Days simulated from `asOf` on (at least the 30-day truth window). */
  futureDays: number;
}

/** Precomputed per-day tables; index = day number from the first day of history. */
export interface Calendar {
  /** Number of days in the grid. */
  readonly days: number;
  /** Day number of `asOf`. */
  readonly asOfIndex: number;
  /** Number of calendar months the grid touches. */
  readonly months: number;
  /** Calendar-month index (0 = month of day 0) of each day. */
  readonly month: Uint16Array;
  /** Weekday of each day, 0 = Sunday. */
  readonly weekday: Uint8Array;
  /** Spontaneous-payment day factor (weekday × pay-day × season). */
  readonly payDay: Float64Array;
  /** Largest value of `payDay` (a bound for thinning). */
  readonly payDayMax: number;
  /** Day number of the first day of the next calendar month (capped at `days`). */
  readonly nextMonthStart: Uint32Array;
  /** Office calling intensity of each day (0 on Sundays and public holidays). */
  readonly callDay: Float64Array;
  /** `YYYY-MM-DD` of each day. */
  readonly iso: readonly string[];
  /** `DD/MM/YYYY` of each day. */
  readonly dmySlash: readonly string[];
  /** `DD-MM-YYYY` of each day. */
  readonly dmyDash: readonly string[];
  /** Year of each day. */
  readonly year: Uint16Array;
}

const DAY_MS = 86_400_000;

/** Spontaneous-payment weekday factors, Sunday first: transfers and cards cluster on weekdays. */
export const PAY_WEEKDAY = [0.3, 1.15, 1.1, 1.05, 1.05, 1.15, 0.6];
/** Season by month of year: low after Christmas and over the summer, high in spring. */
export const PAY_SEASON = [0.8, 0.95, 1.1, 1.15, 1.05, 1.0, 0.9, 0.85, 0.9, 1.0, 1.05, 0.8];
/** Office calling factor by weekday, Sunday first. */
export const CALL_WEEKDAY = [0, 1, 1, 1, 1, 1, 0.35];
/** Fixed-date French public holidays (MM-DD) on which the office does not call. */
const HOLIDAYS = new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25']);

/** Pay-day effect: salaries and benefits arrive at the turn of the month. */
function payDayFactor(dayOfMonth: number): number {
  if (dayOfMonth <= 7) return 1.3;
  if (dayOfMonth >= 26) return 1.15;
  return 0.85;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Parses `YYYY-MM-DD` into a UTC epoch-day number. */
export function epochDay(iso: string): number {
  return Math.round(Date.parse(iso + 'T00:00:00Z') / DAY_MS);
}

/** The first day of history: `asOf` minus whole calendar months (day clamped to month end). */
function historyStart(asOf: string, months: number): number {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const sy = Math.floor(total / 12);
  const sm = total % 12;
  const last = new Date(Date.UTC(sy, sm + 1, 0)).getUTCDate();
  return Math.round(Date.UTC(sy, sm, Math.min(d, last)) / DAY_MS);
}

/** Builds the day grid and its tables. */
export function buildCalendar(spec: CalendarSpec): Calendar {
  const start = historyStart(spec.asOf, spec.historyMonths);
  const asOfIndex = epochDay(spec.asOf) - start;
  const days = asOfIndex + spec.futureDays;
  const month = new Uint16Array(days);
  const weekday = new Uint8Array(days);
  const year = new Uint16Array(days);
  const payDay = new Float64Array(days);
  const callDay = new Float64Array(days);
  const iso: string[] = [];
  const dmySlash: string[] = [];
  const dmyDash: string[] = [];
  let firstMonth = -1;
  for (let i = 0; i < days; i++) {
    const date = new Date((start + i) * DAY_MS);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth();
    const d = date.getUTCDate();
    const wd = date.getUTCDay();
    if (firstMonth < 0) firstMonth = y * 12 + m;
    month[i] = y * 12 + m - firstMonth;
    weekday[i] = wd;
    year[i] = y;
    payDay[i] = (PAY_WEEKDAY[wd] as number) * payDayFactor(d) * (PAY_SEASON[m] as number);
    const mmdd = pad2(m + 1) + '-' + pad2(d);
    callDay[i] = HOLIDAYS.has(mmdd) ? 0 : (CALL_WEEKDAY[wd] as number);
    iso.push(`${y}-${mmdd}`);
    dmySlash.push(`${pad2(d)}/${pad2(m + 1)}/${y}`);
    dmyDash.push(`${pad2(d)}-${pad2(m + 1)}-${y}`);
  }
  const months = days === 0 ? 0 : (month[days - 1] as number) + 1;
  const nextMonthStart = new Uint32Array(days);
  let next = days;
  for (let i = days - 1; i >= 0; i--) {
    nextMonthStart[i] = next;
    if (i > 0 && month[i] !== month[i - 1]) next = i;
  }
  let payDayMax = 0;
  for (const f of payDay) payDayMax = Math.max(payDayMax, f);
  return { days, asOfIndex, months, month, weekday, payDay, payDayMax, nextMonthStart, callDay, iso, dmySlash, dmyDash, year };
}
