/**
 * The uplift view: called debtors against the control debtors that would have been listed, on
 * what they paid in the 30 days from the list date.
 */
import { FixedClock } from '../../src/core';
import { publishCallList, type CallList } from '../../src/ranking';
import { engines, type TestDatabase } from '../helpers/db';

const D = '2026-11-02';

function list(): CallList {
  const row = (id: string, rank: number) => ({
    teamId: 'equipe-1', rank, debtorId: id, officeCode: 'ETU01',
    contact: { title: null, firstName: null, lastName: null, postalCode: null, country: 'FR' },
    phoneE164: '+33612345678', timeZone: 'Europe/Paris', windowStart: new Date('2026-11-02T08:00:00Z'), windowEnd: new Date('2026-11-02T10:00:00Z'),
    pPay: 0.5, expectedAmount: 100, amountBasis: 'past_payments' as const, pContact: 0.3, expectedRecovery: 15, expectedMinutes: 2.85, priority: 10 - rank, balance: 400, reasons: [], modelVersionId: 'm1',
  });
  const held = (id: string, would: boolean) => ({ debtorId: id, month: '2026-11', teamId: 'equipe-1', pPay: 0.5, expectedAmount: 100, pContact: 0.3, priority: 5, expectedRecovery: 15, wouldBeListed: would });
  return { listDate: D, runId: 'r', modelVersionId: 'm1', settleShare: 0, candidates: 7, rows: [row('C1', 1), row('C2', 2), row('C3', 3), row('C4', 4)], exclusions: [], deferred: [], holdout: [held('H1', true), held('H2', true), held('H3', false)] };
}

describe.each(engines)('dialer.holdout_uplift on $name', ({ open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  }, 120_000);
  afterAll(async () => t?.close());

  it('compares what called and control debtors paid in the 30 days from the list date', async () => {
    await publishCallList(t.db, list(), new FixedClock('2026-11-02T01:00:00Z'));
    const pay = (id: string, on: string, amount: number) => ({ payment_id: `${id}-${on}`, case_id: `${id}-C`, debtor_id: id, paid_on: on, amount, method: 'VIR' });
    await t.db.knex('clean.payments').insert([
      pay('C1', '2026-11-05', 100),
      pay('C1', '2026-11-20', 50), // both inside the window: 150
      pay('C2', '2026-12-01', 80), // day 29: inside
      pay('C3', '2026-12-02', 999), // day 30: outside
      pay('C4', '2026-11-01', 999), // before the list date: outside
      pay('H1', '2026-11-10', 40),
      pay('H3', '2026-11-10', 500), // would not have been listed: not compared
      pay('Z9', '2026-12-31', 1), // latest payment known: the window is complete
    ]);
    const rows = (await t.db.knex('dialer.holdout_uplift').where({ list_date: D })) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(Number(r.n_called)).toBe(4);
    expect(Number(r.n_control)).toBe(2);
    expect(Number(r.recovered_per_called)).toBeCloseTo((150 + 80) / 4, 9);
    expect(Number(r.recovered_per_control)).toBeCloseTo(40 / 2, 9);
    expect(Number(r.pay_rate_called)).toBeCloseTo(0.5, 9);
    expect(Number(r.pay_rate_control)).toBeCloseTo(0.5, 9);
    expect(Number(r.uplift_per_debtor)).toBeCloseTo(57.5 - 20, 9);
    // Standard error: sqrt(var_called / 4 + var_control / 2), sample variances.
    const varC = [150, 80, 0, 0].reduce((s, x) => s + (x - 57.5) ** 2, 0) / 3;
    const varH = [40, 0].reduce((s, x) => s + (x - 20) ** 2, 0) / 1;
    expect(Number(r.uplift_std_error)).toBeCloseTo(Math.sqrt(varC / 4 + varH / 2), 9);
    expect(r.complete).toBe(true);
  });
});
