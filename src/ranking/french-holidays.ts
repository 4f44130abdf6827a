/**
 * French public holidays (jours fériés), computed for any year: the fixed ones and the three that
 * follow Easter (Easter Monday, Ascension Thursday, Whit Monday). Alsace and Moselle add Good
 * Friday and St Stephen's Day.
 */
import { addDays, type IsoDate } from '../core/ids';

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A French public holiday. */
export interface FrenchHoliday {
  date: IsoDate;
  /** Its French name. */
  name: string;
}

/** Options of {@link frenchPublicHolidays}. */
export interface FrenchHolidayOptions {
  /** Adds Good Friday and 26 December, the holidays of Alsace and Moselle. @defaultValue false */
  alsaceMoselle?: boolean;
}

/** The public holidays of a year in France, sorted by date. */
export function frenchPublicHolidays(year: number, options: FrenchHolidayOptions = {}): FrenchHoliday[] {
  const y = String(year).padStart(4, '0');
  const easter = easterSunday(year);
  const days: FrenchHoliday[] = [
    { date: `${y}-01-01`, name: "Jour de l'an" },
    { date: addDays(easter, 1), name: 'Lundi de Pâques' },
    { date: `${y}-05-01`, name: 'Fête du Travail' },
    { date: `${y}-05-08`, name: 'Victoire 1945' },
    { date: addDays(easter, 39), name: 'Ascension' },
    { date: addDays(easter, 50), name: 'Lundi de Pentecôte' },
    { date: `${y}-07-14`, name: 'Fête nationale' },
    { date: `${y}-08-15`, name: 'Assomption' },
    { date: `${y}-11-01`, name: 'Toussaint' },
    { date: `${y}-11-11`, name: 'Armistice 1918' },
    { date: `${y}-12-25`, name: 'Noël' },
  ];
  if (options.alsaceMoselle) {
    days.push({ date: addDays(easter, -2), name: 'Vendredi saint' }, { date: `${y}-12-26`, name: 'Saint-Étienne' });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const cache = new Map<string, Map<IsoDate, string>>();

/** The name of the French public holiday on `date`, or undefined on a working day. */
export function frenchHolidayOn(date: IsoDate, options: FrenchHolidayOptions = {}): string | undefined {
  const year = Number(date.slice(0, 4));
  const key = `${year}|${options.alsaceMoselle ? 1 : 0}`;
  let days = cache.get(key);
  if (!days) {
    days = new Map(frenchPublicHolidays(year, options).map((h) => [h.date, h.name]));
    cache.set(key, days);
  }
  return days.get(date);
}

/** Whether a French postal code lies in Alsace or Moselle (departments 57, 67, 68). */
export function isAlsaceMoselle(postalCode: string | null | undefined): boolean {
  return postalCode !== null && postalCode !== undefined && /^(57|67|68)\d{3}$/.test(postalCode);
}
