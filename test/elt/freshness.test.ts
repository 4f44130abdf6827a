/**
 * The freshness rules as values: ages against their bound, row counts against the median of the
 * same mode's history (a full export with no row is empty whatever the history; incremental loads
 * are compared only when their table asks), and watermarks read as instants.
 */
import { ageFinding, rowsFinding, watermarkInstant } from '../../src/elt/freshness';
import { officeInstant } from '../../src/pipeline/freshness-step';

const paris = (local: string) => officeInstant(local, 'Europe/Paris');

describe('freshness rules', () => {
  test('an age at the bound passes, one beyond fails with its figure', () => {
    expect(ageFinding('s', 'debtors', 'newest file d.csv', 26, 26)).toMatchObject({ ok: true });
    expect(ageFinding('s', 'debtors', 'newest file d.csv', 26.05, 26)).toMatchObject({ ok: false, message: 's.debtors: newest file d.csv is 26.1 h old (limit 26 h)' });
  });

  test('full loads are compared with the median of the earlier full loads', () => {
    const bounds = { minRowsRatio: 0.5, ownRatio: false };
    // median of [1000, 1200, 90000 (a one-off), 1100] is 1150
    expect(rowsFinding('s', 'debtors', 'full', 600, [1000, 1200, 90000, 1100], bounds)).toMatchObject({ ok: true, value: 600 / 1150 });
    expect(rowsFinding('s', 'debtors', 'full', 500, [1000, 1200, 90000, 1100], bounds)).toMatchObject({ ok: false });
    expect(rowsFinding('s', 'debtors', 'full', 5, [], bounds)).toBeNull();
    expect(rowsFinding('s', 'debtors', 'full', 0, [], bounds)).toMatchObject({ ok: false, message: "s.debtors: tonight's full export has no row (empty export)" });
    expect(rowsFinding('s', 'debtors', 'full', 1, [1000], { minRowsRatio: 0, ownRatio: false })).toBeNull();
  });

  test('incremental loads are compared only when the table sets its own ratio, and then with incremental loads', () => {
    expect(rowsFinding('s', 'payments', 'incremental', 0, [221, 240, 198], { minRowsRatio: 0.5, ownRatio: false })).toBeNull();
    expect(rowsFinding('s', 'payments', 'incremental', 221, [240, 198, 230], { minRowsRatio: 0.3, ownRatio: true })).toMatchObject({ ok: true });
    expect(rowsFinding('s', 'payments', 'incremental', 20, [240, 198, 230], { minRowsRatio: 0.3, ownRatio: true })).toMatchObject({ ok: false });
  });

  test('watermarks are read as office wall time, with an offset, or as epoch seconds', () => {
    expect(watermarkInstant('2026-11-20 10:00:05', 'timestamp', paris)?.toISOString()).toBe('2026-11-20T09:00:05.000Z');
    expect(watermarkInstant('2026-07-20 10:00:05.250', 'timestamp', paris)?.toISOString()).toBe('2026-07-20T08:00:05.250Z');
    expect(watermarkInstant('2026-11-20', 'timestamp', paris)?.toISOString()).toBe('2026-11-19T23:00:00.000Z');
    expect(watermarkInstant('2026-12-04 18:20:25.100278+00', 'timestamp', paris)?.toISOString()).toBe('2026-12-04T18:20:25.100Z');
    expect(watermarkInstant('2026-12-04T18:20:25-0500', 'timestamp', paris)?.toISOString()).toBe('2026-12-04T23:20:25.000Z');
    expect(watermarkInstant('1795165205', 'epoch', paris)?.toISOString()).toBe('2026-11-20T09:00:05.000Z');
    expect(watermarkInstant('1795165205', 'timestamp', paris)).toBeNull();
    expect(watermarkInstant('20/11/2026', 'timestamp', paris)).toBeNull();
  });
});
