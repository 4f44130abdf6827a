import { compileConfig } from '../../src/config';
import { allowedCallingDay, intersect, teamInterval } from '../../src/ranking/calling-window';
import { localTimeToInstant, localParts, utcOffsetMinutes } from '../../src/ranking/zoned-time';

const { FR, US } = compileConfig({}).ranking.compliance.regimes as Record<'FR' | 'US', never>;

describe('calling windows in the debtor local time', () => {
  it('turns local wall time into instants across daylight-saving changes', () => {
    // Paris: UTC+1 in winter, UTC+2 in summer; the change of 2026 is on 29 March.
    expect(localTimeToInstant('2026-03-28', 8 * 60, 'Europe/Paris').toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(localTimeToInstant('2026-03-29', 8 * 60, 'Europe/Paris').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // New York changes on 8 March 2026: 08:00 EDT is 12:00 UTC, 21:00 EST the day before is 02:00 UTC.
    expect(localTimeToInstant('2026-03-08', 8 * 60, 'America/New_York').toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(localTimeToInstant('2026-03-07', 21 * 60, 'America/New_York').toISOString()).toBe('2026-03-08T02:00:00.000Z');
    expect(utcOffsetMinutes(new Date('2026-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(localParts(new Date('2026-11-23T23:30:00Z'), 'Europe/Paris')).toEqual({ date: '2026-11-24', hour: 0, minute: 30, weekday: 2 });
  });

  it('allows US debtors 08:00 to 21:00 in their own zone (FDCPA), every day', () => {
    const day = allowedCallingDay('2026-11-28', { timeZone: 'America/Los_Angeles' }, US); // a Saturday
    expect(day.allowed).toBe(true);
    if (!day.allowed) return;
    expect(day.interval.start.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(day.interval.end.toISOString()).toBe('2026-11-29T05:00:00.000Z');
    // 07:59 local is outside, 08:00 inside.
    const chicago = allowedCallingDay('2026-07-06', { timeZone: 'America/Chicago' }, US);
    if (!chicago.allowed) throw new Error('expected allowed');
    expect(chicago.interval.start.toISOString()).toBe('2026-07-06T13:00:00.000Z');
  });

  it('allows French debtors on weekdays only, never on a public holiday', () => {
    expect(allowedCallingDay('2026-11-28', { timeZone: 'Europe/Paris' }, FR)).toMatchObject({ allowed: false, rule: 'calling_day', detail: expect.stringContaining('Saturday') });
    expect(allowedCallingDay('2026-11-29', { timeZone: 'Europe/Paris' }, FR)).toMatchObject({ allowed: false });
    expect(allowedCallingDay('2026-11-11', { timeZone: 'Europe/Paris' }, FR)).toMatchObject({ allowed: false, detail: 'public holiday: Armistice 1918' });
    expect(allowedCallingDay('2027-05-17', { timeZone: 'Europe/Paris' }, FR)).toMatchObject({ allowed: false, detail: 'public holiday: Lundi de Pentecôte' });
    expect(allowedCallingDay('2026-11-12', { timeZone: 'Europe/Paris' }, FR)).toMatchObject({ allowed: true });
    // Good Friday: a working day in Paris, a holiday in Strasbourg.
    expect(allowedCallingDay('2026-04-03', { timeZone: 'Europe/Paris', postalCode: '75011' }, FR).allowed).toBe(true);
    expect(allowedCallingDay('2026-04-03', { timeZone: 'Europe/Paris', postalCode: '67000' }, FR)).toMatchObject({ allowed: false, detail: 'public holiday: Vendredi saint' });
  });

  it('meets the allowed hours of an overseas debtor with the hours of a team in Paris', () => {
    const day = allowedCallingDay('2026-11-24', { timeZone: 'America/Guadeloupe' }, FR);
    if (!day.allowed) throw new Error('expected allowed');
    const team = teamInterval('2026-11-24', { hours: '09:00-18:00' }, 'Europe/Paris');
    // Guadeloupe is UTC-4: 08:00 there is 13:00 in Paris; the team stops at 18:00 Paris.
    expect(intersect(day.interval, team)).toEqual({ start: new Date('2026-11-24T12:00:00Z'), end: new Date('2026-11-24T17:00:00Z') });
    const noumea = allowedCallingDay('2026-11-24', { timeZone: 'Pacific/Noumea' }, FR);
    if (!noumea.allowed) throw new Error('expected allowed');
    // Nouméa is UTC+11: only its 19:00-20:00 meets the Paris team's morning.
    expect(intersect(noumea.interval, team)).toEqual({ start: new Date('2026-11-24T08:00:00Z'), end: new Date('2026-11-24T09:00:00Z') });
    const tahiti = allowedCallingDay('2026-11-24', { timeZone: 'Pacific/Tahiti' }, FR);
    if (!tahiti.allowed) throw new Error('expected allowed');
    // Tahiti is UTC-10: its 08:00 is 19:00 in Paris, after the team has gone home.
    expect(intersect(tahiti.interval, team)).toBeUndefined();
  });
});
