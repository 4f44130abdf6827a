/**
 * `ranking.objective`: under `uplift` the list is ordered by what the call adds (P(contact) ×
 * learned ΔP(pay) × expected amount / minutes), under `propensity` by today's expected recovery per
 * minute; without an uplift model an `uplift` night falls back to propensity and says so.
 */
import { assembleCallList, NO_UPLIFT_MODEL_NOTE } from '../../src/ranking/assemble-call-list';
import { expectedValue } from '../../src/ranking/expected-value';
import type { Candidate } from '../../src/ranking/candidate';
import { rankingConfig } from './fixture';

const LIST_DATE = '2026-11-24';

function candidate(id: string, over: Partial<Candidate> = {}): Candidate {
  return {
    debtorId: id, pPay: 0.5, modelVersionId: 'm1', explanation: [], balance: 500, avgPaymentAmount: 50, lastPaymentAmount: 50, openPromiseAmount: 0,
    officeCode: 'ETU01', country: 'FR', postalCode: '75011', title: null, firstName: null, lastName: null, timeZone: 'Europe/Paris',
    doNotCall: false, ceaseCommunication: false, openStages: ['amicable'], creditors: ['BANQUE'], disputedOpenCases: 0,
    phoneE164: '+33612345678', phoneType: 'mobile', attemptDates: [], lastConversationOn: null, lastPaymentOn: null, lastKeptPromiseOn: null, openPromiseDueOn: null,
    ...over,
  };
}

const lift = (pPayCalled: number, pPayNotCalled: number, upliftP = pPayCalled - pPayNotCalled) => ({ modelVersionId: 'u1', pPayCalled, pPayNotCalled, upliftP });

describe('ranking objective', () => {
  it('prices a call by the recovery it adds under uplift, by the expected recovery under propensity', () => {
    const amount = { amount: 200, basis: 'past_payments' as const };
    const minutes = { contact: 6, attempt: 1.5 };
    const u = expectedValue({ pPay: 0.8, amount, pContact: 0.5, minutes, upliftP: 0.1, objective: 'uplift' });
    const p = expectedValue({ pPay: 0.8, amount, pContact: 0.5, minutes, upliftP: 0.1, objective: 'propensity' });
    // expected minutes 0.5 × 6 + 0.5 × 1.5 = 3.75 either way
    expect(u.expectedMinutes).toBeCloseTo(3.75, 12);
    expect(u.incrementalRecovery).toBeCloseTo(0.1 * 200 * 0.5, 12);
    expect(u.priority).toBeCloseTo(10 / 3.75, 12);
    expect(p.priority).toBeCloseTo((0.8 * 200 * 0.5) / 3.75, 12);
    // both keep P(pay) and the expected recovery for the dashboard
    expect(u.pPay).toBe(0.8);
    expect(u.expectedRecovery).toBeCloseTo(80, 12);
    // a call that puts the debtor off is worth less than nothing
    expect(expectedValue({ pPay: 0.8, amount, pContact: 0.5, minutes, upliftP: -0.05, objective: 'uplift' }).priority).toBeLessThan(0);
    expect(() => expectedValue({ pPay: 0.8, amount, pContact: 0.5, minutes, objective: 'uplift' })).toThrow(/upliftP/);
  });

  // One agent for an hour at 10 %: room for one or two calls; the sure payer and the persuadable compete.
  const oneCall = (objective: 'uplift' | 'propensity') =>
    rankingConfig({ objective, teams: [{ id: 't', agents: 1, hours: '09:00-10:00', occupancy: 0.1 }], holdout: { share: 0 } }).ranking;
  const candidates = [
    candidate('SURE', { pPay: 0.9, uplift: lift(0.91, 0.9) }),
    candidate('PERSUADABLE', { pPay: 0.25, uplift: lift(0.45, 0.15) }),
    candidate('PUT_OFF', { pPay: 0.6, uplift: lift(0.5, 0.6) }),
  ];

  it('calls first the debtor the call helps under uplift, the likeliest payer under propensity', () => {
    const byUplift = assembleCallList({ listDate: LIST_DATE, runId: 'r', timeZone: 'Europe/Paris', ranking: oneCall('uplift'), slots: [], candidates });
    const byPropensity = assembleCallList({ listDate: LIST_DATE, runId: 'r', timeZone: 'Europe/Paris', ranking: oneCall('propensity'), slots: [], candidates });
    expect(byUplift.objective).toBe('uplift');
    expect(byUplift.note).toBeNull();
    expect(byPropensity.objective).toBe('propensity');
    expect(byUplift.rows[0]!.debtorId).toBe('PERSUADABLE');
    expect(byPropensity.rows[0]!.debtorId).toBe('SURE');
    // whatever the order, each row keeps P(pay), both arms and what the call adds
    const row = byUplift.rows[0]!;
    expect(row.pPay).toBe(0.25);
    expect(row.pPayCalled).toBe(0.45);
    expect(row.pPayNotCalled).toBe(0.15);
    expect(row.incrementalRecovery).toBeCloseTo(0.3 * row.expectedAmount * row.pContact, 9);
    expect(row.callReasons!.map((r) => r.fr)).toContain("45 % de chances de payer s'il est joint, 15 % sinon");
    // the debtor a call puts off is never ahead of one it helps
    const order = [...byUplift.rows, ...byUplift.deferred].sort((a, b) => b.priority - a.priority).map((r) => r.debtorId);
    expect(order.indexOf('PUT_OFF')).toBeGreaterThan(order.indexOf('SURE'));
    expect(byUplift.upliftModelVersionId).toBe('u1');
  });

  it('falls back to the propensity ordering and says why when no uplift model has been learned yet', () => {
    const plain = candidates.map(({ uplift: _u, ...c }) => c);
    const list = assembleCallList({ listDate: LIST_DATE, runId: 'r', timeZone: 'Europe/Paris', ranking: oneCall('uplift'), slots: [], candidates: plain });
    const reference = assembleCallList({ listDate: LIST_DATE, runId: 'r', timeZone: 'Europe/Paris', ranking: oneCall('propensity'), slots: [], candidates: plain });
    expect(list.objective).toBe('propensity');
    expect(list.objectiveConfigured).toBe('uplift');
    expect(list.note).toEqual(NO_UPLIFT_MODEL_NOTE);
    expect(list.note!.fr).toMatch(/aucun modèle d'effet des appels/);
    expect(list.rows.map((r) => [r.debtorId, r.priority])).toEqual(reference.rows.map((r) => [r.debtorId, r.priority]));
    expect(list.rows[0]!.incrementalRecovery).toBeNull();
    // a propensity office is not told anything
    expect(reference.note).toBeNull();
  });

  it('defaults to uplift in the configuration', () => {
    expect(rankingConfig({}).ranking.objective).toBe('uplift');
    expect(() => rankingConfig({ objective: 'profit' })).toThrow(/objective/);
  });
});
