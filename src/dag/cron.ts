import { DagDefinitionError } from '../core/errors';
import { epochDay, fromEpochDay, fromLocal, toLocal } from './zoned-time';

/**
 * Five-field cron schedules (minute hour day-of-month month day-of-week) evaluated on the wall
 * clock of a time zone. Occurrences are computed per local day, so a daylight-saving change never
 * skips nor doubles a daily run: a skipped time (02:30 on a spring-forward night) fires when the
 * clocks jump (03:00), a repeated one (02:30 on a fall-back night) fires once, the first time.
 */
export interface CronSchedule {
  readonly expression: string;
  readonly timeZone: string;
  /** First occurrence strictly after `after`. */
  next(after: Date): Date;
  /** Last occurrence strictly before `before`. */
  prev(before: Date): Date;
  /** Whether `instant` is an occurrence. */
  matches(instant: Date): boolean;
  /** Occurrences in `[from, to)`, in order. */
  between(from: Date, to: Date): Date[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

interface Field {
  values: Set<number>;
  restricted: boolean;
}

function parseField(text: string, min: number, max: number, names: string[] | undefined, label: string): Field {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names?.indexOf(token.toLowerCase()) ?? -1;
    const n = named >= 0 ? named + (names === MONTHS ? 1 : 0) : /^\d+$/.test(token) ? Number(token) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${label} value '${token}' is not in ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`${label} step '${stepText}' must be a positive integer`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) throw new Error(`${label} range '${range}' is reversed`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, restricted: text !== '*' && !text.startsWith('*/') };
}

/** Parses a cron expression; throws a {@link DagDefinitionError} naming `where` when invalid. */
export function parseCron(expression: string, timeZone: string, where = 'schedule'): CronSchedule {
  const source = MACROS[expression.trim()] ?? expression.trim();
  const fields = source.split(/\s+/);
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new DagDefinitionError(`${where}: unknown time zone '${timeZone}'`);
  }
  if (fields.length !== 5) throw new DagDefinitionError(`${where}: cron '${expression}' must have 5 fields (minute hour day month weekday)`);
  let minute: Field, hour: Field, dom: Field, month: Field, dow: Field;
  try {
    minute = parseField(fields[0]!, 0, 59, undefined, 'minute');
    hour = parseField(fields[1]!, 0, 23, undefined, 'hour');
    dom = parseField(fields[2]!, 1, 31, undefined, 'day-of-month');
    month = parseField(fields[3]!, 1, 12, MONTHS, 'month');
    dow = parseField(fields[4]!.replace(/\b7\b/g, '0'), 0, 6, DAYS, 'day-of-week');
  } catch (error) {
    throw new DagDefinitionError(`${where}: cron '${expression}': ${(error as Error).message}`);
  }
  const minutes = [...minute.values].sort((a, b) => a - b);
  const hours = [...hour.values].sort((a, b) => a - b);

  const dayMatches = (n: number): boolean => {
    const d = fromEpochDay(n);
    if (!month.values.has(d.month)) return false;
    const byDom = dom.values.has(d.day);
    const byDow = dow.values.has(d.weekday);
    // Classic cron: when both day fields are restricted, either one matching is enough.
    if (dom.restricted && dow.restricted) return byDom || byDow;
    return (dom.restricted ? byDom : true) && (dow.restricted ? byDow : true);
  };
  const dayCache = new Map<number, number[]>();
  const occurrencesOn = (n: number): number[] => {
    let cached = dayCache.get(n);
    if (cached) return cached;
    cached = [];
    if (dayMatches(n)) {
      const d = fromEpochDay(n);
      const seen = new Set<number>();
      for (const h of hours) {
        for (const m of minutes) {
          const t = fromLocal({ year: d.year, month: d.month, day: d.day, hour: h, minute: m }, timeZone).getTime();
          // A time moved by a gap could land on the next local day or on a time already listed.
          const l = toLocal(t, timeZone);
          if (epochDay(l.year, l.month, l.day) !== n || seen.has(t)) continue;
          seen.add(t);
          cached.push(t);
        }
      }
      cached.sort((a, b) => a - b);
    }
    if (dayCache.size > 2000) dayCache.clear();
    dayCache.set(n, cached);
    return cached;
  };
  const dayOf = (instant: Date): number => {
    const l = toLocal(instant, timeZone);
    return epochDay(l.year, l.month, l.day);
  };
  const LIMIT = 366 * 8;

  const schedule: CronSchedule = {
    expression,
    timeZone,
    next(after) {
      const start = dayOf(after);
      for (let n = start; n < start + LIMIT; n++) {
        const hit = occurrencesOn(n).find((t) => t > after.getTime());
        if (hit !== undefined) return new Date(hit);
      }
      throw new DagDefinitionError(`${where}: cron '${expression}' never fires`);
    },
    prev(before) {
      const start = dayOf(before);
      for (let n = start; n > start - LIMIT; n--) {
        const list = occurrencesOn(n);
        for (let i = list.length - 1; i >= 0; i--) if ((list[i] as number) < before.getTime()) return new Date(list[i] as number);
      }
      throw new DagDefinitionError(`${where}: cron '${expression}' never fires`);
    },
    matches(instant) {
      return occurrencesOn(dayOf(instant)).includes(instant.getTime());
    },
    between(from, to) {
      const out: Date[] = [];
      for (let t = schedule.next(new Date(from.getTime() - 1)); t < to; t = schedule.next(t)) out.push(t);
      return out;
    },
  };
  // Fails here, at load, for an expression that can never fire (e.g. 30 February).
  schedule.next(new Date(Date.UTC(2000, 0, 1)));
  return schedule;
}
