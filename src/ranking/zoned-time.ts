/**
 * Wall-clock time in IANA time zones through Intl: the local date, weekday and hour of an instant,
 * and the instant of a local date and time. Daylight-saving changes are handled by the runtime's
 * time-zone database.
 */
import type { IsoDate } from '../core/ids';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/** The local calendar fields of an instant in a time zone. */
export interface LocalParts {
  date: IsoDate;
  hour: number;
  minute: number;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
}

/**
 * Results already computed, per time zone and instant (or local date and time): a list asks about
 * the same few hours of one day for every debtor, and Intl's formatting is what costs. Each cache
 * is emptied when it grows past {@link CACHE_LIMIT} entries.
 */
const CACHE_LIMIT = 50_000;
const partsCache = new Map<string, Map<number, Readonly<LocalParts>>>();
const offsetCache = new Map<string, Map<number, number>>();
const instantCache = new Map<string, Map<string, number>>();

function cacheOf<K, V>(caches: Map<string, Map<K, V>>, timeZone: string): Map<K, V> {
  let c = caches.get(timeZone);
  if (!c) caches.set(timeZone, (c = new Map()));
  else if (c.size >= CACHE_LIMIT) c.clear();
  return c;
}

/** The local date, hour, minute and ISO weekday of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const cache = cacheOf(partsCache, timeZone);
  const at = instant.getTime();
  let parts = cache.get(at);
  if (!parts) cache.set(at, (parts = Object.freeze(computeLocalParts(instant, timeZone))));
  return parts;
}

function computeLocalParts(instant: Date, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of format(timeZone).formatToParts(instant)) p[part.type] = part.value;
  const date = `${p.year}-${p.month}-${p.day}`;
  return { date, hour: Number(p.hour), minute: Number(p.minute), weekday: isoWeekday(date) };
}

/** ISO weekday of a calendar date, 1 Monday … 7 Sunday. */
export function isoWeekday(date: IsoDate): number {
  const d = new Date(date + 'T00:00:00Z').getUTCDay();
  return d === 0 ? 7 : d;
}

/** Minutes by which local time in `timeZone` is ahead of UTC at `instant`. */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  const cache = cacheOf(offsetCache, timeZone);
  const at = instant.getTime();
  let offset = cache.get(at);
  if (offset === undefined) cache.set(at, (offset = computeUtcOffsetMinutes(instant, timeZone)));
  return offset;
}

function computeUtcOffsetMinutes(instant: Date, timeZone: string): number {
  const p: Record<string, string> = {};
  for (const part of format(timeZone).formatToParts(instant)) p[part.type] = part.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant at which the wall clock of `timeZone` reads `minuteOfDay` minutes after midnight on
 * `date`. In a spring-forward gap the result is the instant the clock jumps over that time.
 */
export function localTimeToInstant(date: IsoDate, minuteOfDay: number, timeZone: string): Date {
  const cache = cacheOf(instantCache, timeZone);
  const key = `${date} ${minuteOfDay}`;
  let at = cache.get(key);
  if (at === undefined) cache.set(key, (at = computeLocalTimeToInstant(date, minuteOfDay, timeZone).getTime()));
  return new Date(at);
}

function computeLocalTimeToInstant(date: IsoDate, minuteOfDay: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  let guess = wall - utcOffsetMinutes(new Date(wall), timeZone) * 60000;
  guess = wall - utcOffsetMinutes(new Date(guess), timeZone) * 60000;
  return new Date(guess);
}

/** Parses `HH:MM-HH:MM` into minutes after midnight. */
export function parseHours(range: string): { from: number; to: number } {
  const [a, b] = range.split('-') as [string, string];
  const minutes = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return { from: minutes(a), to: minutes(b) };
}
