import { createHash, randomUUID } from 'node:crypto';

/** A new random identifier (UUID v4). */
export function newId(): string {
  return randomUUID();
}

/** A short stable digest (hex) of a text or buffer, for ids derived from content. */
export function digest(content: string | Buffer, length = 16): string {
  return createHash('sha256').update(content).digest('hex').slice(0, length);
}

/** An ISO calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

/** True if `text` is a valid `YYYY-MM-DD` calendar date. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(text + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Adds `days` to an ISO date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The calendar date of an instant in a time zone. */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * A calendar date as `YYYY-MM-DD`, whichever way the driver returned it: the pg driver gives
 * strings, PGlite through knex may give Date objects at midnight. Null stays null.
 */
export function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const utcMidnight = value.getUTCHours() === 0 && value.getUTCMinutes() === 0;
    const y = utcMidnight ? value.getUTCFullYear() : value.getFullYear();
    const m = (utcMidnight ? value.getUTCMonth() : value.getMonth()) + 1;
    const d = utcMidnight ? value.getUTCDate() : value.getDate();
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return String(value).slice(0, 10);
}
