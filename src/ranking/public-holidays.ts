/**
 * Public holidays of the debtor's region, from the maintained `date-holidays` calendar: in France,
 * the metropolitan holidays; Alsace-Moselle (departments 57, 67, 68) adds Good Friday and
 * 26 December; each overseas department and collectivity has its own (Guadeloupe, Martinique,
 * Guyane, La Réunion and Mayotte each with their day of the abolition of slavery, …). The region is
 * read from the French postal code; a debtor whose region cannot be read gets the metropolitan
 * holidays, which every French region also keeps.
 */
import Holidays from 'date-holidays';
import type { IsoDate } from '../core/ids';

/** A calendar of `date-holidays`: a country and, optionally, one of its states or regions. */
export interface HolidayCalendar {
  /** ISO 3166 country of the calendar (`FR`, or `PM` for Saint-Pierre-et-Miquelon). */
  country: string;
  /** The `date-holidays` state: `57`, `67`, `68` (Alsace-Moselle), `GP`, `MQ`, `GF`, `RE`, `YT`, `BL`, `MF`. */
  state?: string;
}

/** The overseas French departments and collectivities with their own calendar, by postal code prefix. */
const OVERSEAS: Readonly<Record<string, HolidayCalendar>> = {
  '971': { country: 'FR', state: 'GP' },
  '972': { country: 'FR', state: 'MQ' },
  '973': { country: 'FR', state: 'GF' },
  '974': { country: 'FR', state: 'RE' },
  '975': { country: 'PM' },
  '976': { country: 'FR', state: 'YT' },
  '977': { country: 'FR', state: 'BL' },
  '978': { country: 'FR', state: 'MF' },
};

const ALSACE_MOSELLE = new Set(['57', '67', '68']);

/**
 * The French holiday calendar of a postal code: its overseas department's, Alsace-Moselle's, or
 * the metropolitan one — also for a postal code that is missing or not five digits (fail closed:
 * the metropolitan holidays are kept in every region).
 */
export function frenchHolidayCalendar(postalCode: string | null | undefined): HolidayCalendar {
  const code = postalCode?.trim() ?? '';
  if (!/^\d{5}$/.test(code)) return { country: 'FR' };
  const overseas = OVERSEAS[code.slice(0, 3)];
  if (overseas) return overseas;
  const department = code.slice(0, 2);
  return ALSACE_MOSELLE.has(department) ? { country: 'FR', state: department } : { country: 'FR' };
}

/** A public holiday: its local date and its name in the calendar's language. */
export interface PublicHoliday {
  date: IsoDate;
  name: string;
}

/** The public holidays (type `public` of `date-holidays`) of a calendar's year, sorted by date. */
export function publicHolidays(calendar: HolidayCalendar, year: number): PublicHoliday[] {
  return [...holidayMap(calendar, year)].map(([date, name]) => ({ date, name }));
}

/** The name of the public holiday on `date` in the calendar, or undefined on a working day. */
export function publicHolidayOn(date: IsoDate, calendar: HolidayCalendar): string | undefined {
  return holidayMap(calendar, Number(date.slice(0, 4))).get(date);
}

const calendars = new Map<string, Holidays>();
const years = new Map<string, Map<IsoDate, string>>();

function holidayMap(calendar: HolidayCalendar, year: number): Map<IsoDate, string> {
  const key = `${calendar.country}|${calendar.state ?? ''}|${year}`;
  let days = years.get(key);
  if (days) return days;
  const calendarKey = `${calendar.country}|${calendar.state ?? ''}`;
  let holidays = calendars.get(calendarKey);
  if (!holidays) {
    holidays = calendar.state ? new Holidays(calendar.country, calendar.state) : new Holidays(calendar.country);
    calendars.set(calendarKey, holidays);
  }
  // `date` is the local date and time of the holiday's start ("2026-05-27 00:00:00").
  const found = holidays
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h): [IsoDate, string] => [h.date.slice(0, 10), h.name])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  days = new Map<IsoDate, string>();
  for (const [date, name] of found) if (!days.has(date)) days.set(date, name);
  years.set(key, days);
  return days;
}
