import { localParts, localTimeToInstant, utcOffsetMinutes } from '../../src/ranking/zoned-time';

/** The local fields straight from Intl, as reference. */
function reference(instant: Date, timeZone: string): { date: string; hour: number; minute: number; offset: number } {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(instant)) p[part.type] = part.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute), offset: Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000) };
}

describe('zoned time, asked again and again', () => {
  it('gives what Intl gives, on the second asking too, across daylight-saving changes', () => {
    for (const timeZone of ['Europe/Paris', 'America/New_York', 'Indian/Reunion']) {
      // Every 20 minutes over the last weekend of March and of October 2026 (Paris changes then).
      for (const from of [Date.UTC(2026, 2, 28), Date.UTC(2026, 9, 24), Date.UTC(2026, 10, 1)]) {
        for (let t = from; t < from + 3 * 86_400_000; t += 20 * 60_000) {
          const instant = new Date(t);
          const want = reference(instant, timeZone);
          for (let pass = 0; pass < 2; pass++) {
            const got = localParts(instant, timeZone);
            expect({ date: got.date, hour: got.hour, minute: got.minute }).toEqual({ date: want.date, hour: want.hour, minute: want.minute });
            expect(utcOffsetMinutes(instant, timeZone)).toBe(want.offset);
          }
        }
      }
    }
  });

  it('gives a fresh instant each time: changing one does not change the next answer', () => {
    const a = localTimeToInstant('2026-11-24', 9 * 60, 'Europe/Paris');
    expect(a.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    a.setTime(0);
    expect(localTimeToInstant('2026-11-24', 9 * 60, 'Europe/Paris').toISOString()).toBe('2026-11-24T08:00:00.000Z');
    // In the spring-forward gap: the instant the clock jumps over 02:30.
    expect(localTimeToInstant('2026-03-29', 150, 'Europe/Paris').toISOString()).toBe(localTimeToInstant('2026-03-29', 150, 'Europe/Paris').toISOString());
  });
});
