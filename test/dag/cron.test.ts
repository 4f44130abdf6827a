import { parseCron } from '../../src/dag';

const iso = (d: Date): string => d.toISOString();

/** Every occurrence in [from, to), as ISO instants. */
function fires(expr: string, from: string, to: string): string[] {
  return parseCron(expr, 'Europe/Paris').between(new Date(from), new Date(to)).map(iso);
}

describe('cron in Europe/Paris across daylight-saving changes', () => {
  // 2026-03-29: 02:00 CET jumps to 03:00 CEST. 2026-10-25: 03:00 CEST falls back to 02:00 CET.
  it('02:00 nightly: one run on the spring-forward night, at the jump (03:00 CEST)', () => {
    expect(fires('0 2 * * *', '2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z')).toEqual([
      '2026-03-28T01:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z', '2026-03-31T00:00:00.000Z',
    ]);
  });
  it('02:30 nightly: one run on the spring-forward night, at 03:00 CEST', () => {
    expect(fires('30 2 * * *', '2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z',
    ]);
  });
  it('03:00 nightly: unaffected by the spring-forward gap', () => {
    expect(fires('0 3 * * *', '2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z')).toEqual([
      '2026-03-28T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z', '2026-03-31T01:00:00.000Z',
    ]);
  });
  it('02:00 nightly: one run on the fall-back night, the first 02:00 (CEST)', () => {
    expect(fires('0 2 * * *', '2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z')).toEqual([
      '2026-10-24T00:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-26T01:00:00.000Z', '2026-10-27T01:00:00.000Z',
    ]);
  });
  it('02:30 nightly: one run on the fall-back night, the first 02:30', () => {
    expect(fires('30 2 * * *', '2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z',
    ]);
  });
  it('03:00 nightly: one run on the fall-back night (03:00 CET happens once)', () => {
    expect(fires('0 3 * * *', '2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z')).toEqual([
      '2026-10-24T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-26T02:00:00.000Z', '2026-10-27T02:00:00.000Z',
    ]);
  });
  it.each(['0 2 * * *', '30 2 * * *', '0 3 * * *'])('prev() walks back through both nights without skipping or doubling (%s)', (expr) => {
    const cron = parseCron(expr, 'Europe/Paris');
    for (const [from, to] of [['2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z'], ['2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z']] as const) {
      const forward = cron.between(new Date(from), new Date(to)).map(iso);
      const backward: string[] = [];
      for (let t = cron.prev(new Date(to)); t >= new Date(from); t = cron.prev(t)) backward.unshift(iso(t));
      expect(backward).toEqual(forward);
      expect(new Set(forward.map((f) => f.slice(0, 10))).size).toBe(4);
    }
  });
  it('next() from an occurrence is strictly later, and matches() recognises occurrences', () => {
    const cron = parseCron('0 2 * * *', 'Europe/Paris');
    const t = new Date('2026-03-29T01:00:00Z');
    expect(cron.matches(t)).toBe(true);
    expect(cron.matches(new Date('2026-03-29T00:00:00Z'))).toBe(false);
    expect(iso(cron.next(t))).toBe('2026-03-30T00:00:00.000Z');
  });
  it('supports lists, ranges, steps, names and both day fields (either matches)', () => {
    expect(parseCron('*/20 9-10 * * mon-fri', 'UTC').between(new Date('2026-11-23T00:00:00Z'), new Date('2026-11-24T00:00:00Z')).map(iso)).toEqual([
      '2026-11-23T09:00:00.000Z', '2026-11-23T09:20:00.000Z', '2026-11-23T09:40:00.000Z', '2026-11-23T10:00:00.000Z', '2026-11-23T10:20:00.000Z', '2026-11-23T10:40:00.000Z',
    ]);
    // The 1st of the month or a Sunday.
    expect(parseCron('0 0 1 * sun', 'UTC').between(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-16T00:00:00Z')).map((d) => iso(d).slice(0, 10))).toEqual(['2026-11-01', '2026-11-08', '2026-11-15']);
  });
  it.each([
    ['0 2 * *', /5 fields/],
    ['61 2 * * *', /minute value '61'/],
    ['0 2 31 2 *', /never fires/],
    ['0 2-1 * * *', /reversed/],
  ])('rejects %s', (expr, message) => {
    expect(() => parseCron(expr, 'Europe/Paris', 'dag x: schedule')).toThrow(message);
  });
});
