/**
 * Public holidays per French region, against the official calendar (service-public.fr, Légifrance:
 * Code du travail L3133-1; décret 83-1003 for the abolition of slavery days; droit local of
 * Alsace-Moselle, L3134-13), independently of the library that computes them.
 */
import { frenchHolidayCalendar, publicHolidayOn, publicHolidays } from '../../src/ranking/public-holidays';

const METROPOLITAN_2026 = ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25'];
const dates = (postalCode: string | null, year: number): string[] => publicHolidays(frenchHolidayCalendar(postalCode), year).map((h) => h.date);

describe('French public holidays by region', () => {
  it('metropolitan France: the eleven holidays of 2026, Easter ones included', () => {
    expect(dates('75011', 2026)).toEqual(METROPOLITAN_2026);
    expect(publicHolidayOn('2027-03-29', frenchHolidayCalendar('75011'))).toBe('Lundi de Pâques');
    expect(publicHolidayOn('2027-05-06', frenchHolidayCalendar('13001'))).toBe('Ascension');
    expect(publicHolidayOn('2026-04-07', frenchHolidayCalendar('75011'))).toBeUndefined();
  });

  it('Alsace-Moselle (57, 67, 68): Good Friday and 26 December as well', () => {
    for (const postalCode of ['57000', '67000', '68100']) {
      expect(dates(postalCode, 2026)).toEqual([...METROPOLITAN_2026, '2026-04-03', '2026-12-26'].sort());
    }
    expect(publicHolidayOn('2027-03-26', frenchHolidayCalendar('67000'))).toBeDefined(); // Good Friday 2027
    expect(publicHolidayOn('2026-04-03', frenchHolidayCalendar('75011'))).toBeUndefined();
    expect(publicHolidayOn('2026-12-26', frenchHolidayCalendar('69001'))).toBeUndefined();
  });

  it.each([
    ['Guadeloupe', '97110', '-05-27'],
    ['Martinique', '97200', '-05-22'],
    ['Guyane', '97300', '-06-10'],
    ['La Réunion', '97400', '-12-20'],
    ['Mayotte', '97600', '-04-27'],
  ])('%s: abolition of slavery on its own day, on top of the metropolitan holidays', (_, postalCode, day) => {
    for (const year of [2026, 2027]) {
      const own = dates(postalCode, year);
      expect(own).toContain(`${year}${day}`);
      if (year === 2026) for (const d of METROPOLITAN_2026) expect(own).toContain(d);
      // No other overseas department's abolition day, and not Alsace-Moselle's 26 December.
      expect(own.filter((d) => ['-05-27', '-05-22', '-06-10', '-12-20', '-04-27'].some((x) => d.endsWith(x)) && !d.endsWith(day))).toEqual([]);
      expect(own).not.toContain(`${year}-12-26`);
    }
    expect(dates('75011', 2026)).not.toContain(`2026${day}`);
  });

  it('an unknown region gets the metropolitan holidays', () => {
    for (const postalCode of [null, '', 'XXXXX', '7501', '750111']) expect(dates(postalCode, 2026)).toEqual(METROPOLITAN_2026);
  });
});
