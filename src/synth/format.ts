/**
 * How offices write values: decimal commas with or without thousands separators, three date
 * formats, two timestamp formats, five ways to write a phone number. Each office has a habit and
 * deviates from it now and then.
 */
import type { Rng } from '../core/rng';
import type { Calendar } from './calendar';
import type { Phone } from './person';

/** An office's writing habits. */
export interface OfficeStyle {
  /** 0: `24/11/2026`, 1: `2026-11-24`, 2: `24-11-2026`. */
  date: number;
  /** 0: `1234,56`, 1: `1 234,56`, 2: `1234.56`. */
  amount: number;
  /** 0: `24/11/2026 09:15`, 1: `2026-11-24 09:15:00`. */
  timestamp: number;
}

/** The habits of office k (0-based): they rotate so that every format appears with 3 offices. */
export function officeStyle(k: number): OfficeStyle {
  return { date: k % 3, amount: k % 3, timestamp: k % 2 };
}

/** Probability that a value departs from its office's habit. */
const DEVIATION = 0.05;

function pick(rng: Rng, habit: number, kinds: number): number {
  return rng.next() < DEVIATION ? rng.int(kinds) : habit;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Writes `cents` the way the office does. */
export function formatAmount(cents: number, style: OfficeStyle, rng: Rng): string {
  const kind = pick(rng, style.amount, 3);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const decimals = pad2(abs % 100);
  let whole = String(units);
  if (kind === 1 && units >= 1000) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return (negative ? '-' : '') + whole + (kind === 2 ? '.' : ',') + decimals;
}

/** Writes calendar day `d` the way the office does. */
export function formatDay(cal: Calendar, d: number, style: OfficeStyle, rng: Rng): string {
  const kind = pick(rng, style.date, 3);
  return (kind === 0 ? cal.dmySlash[d] : kind === 1 ? cal.iso[d] : cal.dmyDash[d]) as string;
}

/** Writes a date given as [year, month, day] the way the office does. */
export function formatYmd(ymd: readonly [number, number, number], style: OfficeStyle, rng: Rng): string {
  const kind = pick(rng, style.date, 3);
  const [y, m, d] = ymd;
  if (kind === 1) return `${y}-${pad2(m)}-${pad2(d)}`;
  return `${pad2(d)}${kind === 0 ? '/' : '-'}${pad2(m)}${kind === 0 ? '/' : '-'}${y}`;
}

/** Writes a local timestamp on day `d` at `hour:minute`. */
export function formatTimestamp(cal: Calendar, d: number, hour: number, minute: number, style: OfficeStyle, rng: Rng): string {
  const kind = pick(rng, style.timestamp, 2);
  return kind === 0 ? `${cal.dmySlash[d]} ${pad2(hour)}:${pad2(minute)}` : `${cal.iso[d]} ${pad2(hour)}:${pad2(minute)}:00`;
}

/** Writes a phone in one of the forms people type: spaced, compact, dotted, +CC, 00CC. */
export function formatPhone(phone: Phone, rng: Rng): string {
  if (!phone.valid) return phone.number;
  const n = phone.number;
  const u = rng.next();
  if (u < 0.35) return `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6, 8)} ${n.slice(8, 10)}`;
  if (u < 0.6) return n;
  if (u < 0.75) return `${n.slice(0, 2)}.${n.slice(2, 4)}.${n.slice(4, 6)}.${n.slice(6, 8)}.${n.slice(8, 10)}`;
  // International forms drop the trunk 0; overseas lines use their own country code.
  if (u < 0.92) return `+${phone.countryCode}${n.slice(1)}`;
  return `00${phone.countryCode}${n.slice(1)}`;
}

/** Quotes a CSV field when it holds the delimiter, a quote or a line break. */
export function csvField(text: string): string {
  return /[;"\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}
