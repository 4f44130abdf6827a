import { easterSunday, frenchHolidayOn, frenchPublicHolidays, isAlsaceMoselle } from '../../src/ranking/french-holidays';

describe('French public holidays', () => {
  it('computes Easter Sunday for known years', () => {
    // Reference dates (Gregorian computus tables).
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25'); // latest possible
    expect(easterSunday(2285)).toBe('2285-03-22'); // earliest possible
  });

  it('lists the eleven national holidays of 2026 with the Easter-based ones moved each year', () => {
    const days = frenchPublicHolidays(2026).map((h) => h.date);
    expect(days).toEqual(['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']);
    expect(frenchHolidayOn('2027-03-29')).toBe('Lundi de Pâques');
    expect(frenchHolidayOn('2027-05-06')).toBe('Ascension');
    expect(frenchHolidayOn('2027-05-17')).toBe('Lundi de Pentecôte');
    expect(frenchHolidayOn('2026-04-06')).toBe('Lundi de Pâques');
    expect(frenchHolidayOn('2026-04-07')).toBeUndefined();
  });

  it('adds Good Friday and St Stephen only in Alsace and Moselle', () => {
    expect(frenchHolidayOn('2026-04-03')).toBeUndefined();
    expect(frenchHolidayOn('2026-04-03', { alsaceMoselle: true })).toBe('Vendredi saint');
    expect(frenchHolidayOn('2026-12-26', { alsaceMoselle: true })).toBe('Saint-Étienne');
    expect(isAlsaceMoselle('67000')).toBe(true);
    expect(isAlsaceMoselle('57070')).toBe(true);
    expect(isAlsaceMoselle('75011')).toBe(false);
    expect(isAlsaceMoselle(null)).toBe(false);
  });
});
