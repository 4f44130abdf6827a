import { assembleCallList } from '../../src/ranking/assemble-call-list';
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

describe('assembleCallList', () => {
  const ranking = rankingConfig({
    teams: [
      { id: 'amiable', agents: 1, hours: '09:00-18:00', portfolio: { legalStages: ['amicable'] } },
      { id: 'judiciaire', agents: 1, hours: '09:00-18:00', portfolio: { legalStages: ['injunction', 'enforceable_title', 'seizure'] } },
    ],
    holdout: { share: 0 },
  }).ranking;

  it('sends each debtor to the team of its portfolio, defers the uncovered, excludes the unreachable', () => {
    const list = assembleCallList({
      listDate: LIST_DATE,
      runId: 'r',
      timeZone: 'Europe/Paris',
      ranking,
      slots: [],
      candidates: [
        candidate('A1'),
        candidate('J1', { openStages: ['seizure'], pPay: 0.9 }),
        candidate('N1', { openStages: ['some_other_stage'] }),
        candidate('T1', { timeZone: 'Pacific/Tahiti', postalCode: '98714' }),
        candidate('U1', { country: 'US', timeZone: 'America/New_York', postalCode: null }),
      ],
    });
    expect(list.rows.map((r) => [r.debtorId, r.teamId, r.rank])).toEqual([
      ['J1', 'judiciaire', 1],
      ['A1', 'amiable', 1],
      ['U1', 'amiable', 2],
    ]);
    expect(list.deferred).toEqual([expect.objectContaining({ debtorId: 'N1', teamId: null, reason: 'no_team' })]);
    expect(list.exclusions).toEqual([{ debtorId: 'T1', rule: 'calling_hours', detail: expect.stringMatching(/^allowed hours 08:00-20:00 Pacific\/Tahiti do not meet the hours of team amiable/) }]);
    // The New York debtor is called in its own 08:00-21:00, inside the Paris team's day: 14:00-18:00 Paris.
    const us = list.rows.find((r) => r.debtorId === 'U1')!;
    expect(us.windowStart.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-24T13:00:00Z'));
    expect(us.windowEnd.getTime()).toBeLessThanOrEqual(Date.parse('2026-11-24T17:00:00Z'));
    expect(us.windowEnd.getTime() - us.windowStart.getTime()).toBe(2 * 3600000);
  });

  it('keeps held-out debtors off the list and marks those who would have been called', () => {
    const all = rankingConfig({ teams: [{ id: 't', agents: 1, hours: '09:00-10:00', occupancy: 0.1 }], holdout: { share: 0.5, salt: 's' } }).ranking;
    const candidates = Array.from({ length: 40 }, (_, i) => candidate(`D${i}`, { pPay: 0.2 + i / 100 }));
    const list = assembleCallList({ listDate: LIST_DATE, runId: 'r', timeZone: 'Europe/Paris', ranking: all, slots: [], candidates });
    expect(list.holdout.length).toBeGreaterThan(5);
    expect(list.rows.length + list.deferred.length + list.holdout.length).toBe(40);
    const listed = new Set(list.rows.map((r) => r.debtorId));
    expect(list.holdout.some((h) => listed.has(h.debtorId))).toBe(false);
    const cutoff = Math.max(...list.deferred.map((d) => d.priority));
    for (const h of list.holdout) expect(h.wouldBeListed).toBe(h.priority > cutoff);
    expect(list.holdout.some((h) => h.wouldBeListed)).toBe(true);
    expect(list.holdout.some((h) => !h.wouldBeListed)).toBe(true);
  });
});
