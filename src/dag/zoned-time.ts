/**
 * Wall-clock time in an IANA time zone, computed with `Intl` only. Daylight-saving rules are
 * explicit here: a local time skipped by a spring-forward change maps to the instant the clocks
 * jump; a local time repeated by a fall-back change maps to its first occurrence.
 */

/** A local calendar date and time of day. */
export interface LocalDateTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a time zone (seconds dropped). */
export function toLocal(instant: Date | number, timeZone: string): LocalDateTime {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** Offset of the zone from UTC at an instant, in milliseconds (Paris in summer: +7,200,000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const l = toLocal(instant, timeZone);
  const seconds = new Date(instant).getUTCSeconds() * 1000 + new Date(instant).getUTCMilliseconds();
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) + seconds - instant;
}

function sameLocal(a: LocalDateTime, b: LocalDateTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/**
 * The instant at which the wall clock of `timeZone` shows `local`. Skipped local times (spring
 * forward) give the first instant after the gap; repeated ones (fall back) give the earlier one.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = zoneOffsetMs(naive - 12 * 3_600_000, timeZone);
  const after = zoneOffsetMs(naive + 12 * 3_600_000, timeZone);
  const candidates = [...new Set([naive - before, naive - after])]
    .filter((t) => sameLocal(toLocal(t, timeZone), local))
    .sort((x, y) => x - y);
  if (candidates[0] !== undefined) return new Date(candidates[0]);
  // In a gap: the jump happens between the two readings; find the first instant on the new offset.
  let lo = naive - after;
  let hi = naive - before;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
    if (zoneOffsetMs(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** Days since 1970-01-01 of a local calendar date (for iterating over dates). */
export function epochDay(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

/** The calendar date of an epoch day number. */
export function fromEpochDay(n: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localIsoDate(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}
