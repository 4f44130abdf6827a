/**
 * The whole ranking step on both engines: scores in, a compliant, capacity-fitted, explained list
 * out in dialer.*, with every exclusion's rule, the deferred debtors and the control group; a
 * re-run leaves the same rows.
 */
import { FixedClock, silentLogger } from '../../src/core';
import { buildAndPublishCallList } from '../../src/ranking';
import { engines, type TestDatabase } from '../helpers/db';
import { rankingConfig, seedDebtors, type DebtorSeed } from './fixture';

const LIST_DATE = '2026-11-24'; // a Tuesday
const clock = new FixedClock('2026-11-24T01:30:00Z');

function population(): DebtorSeed[] {
  const seeds: DebtorSeed[] = [];
  for (let i = 0; i < 60; i++) seeds.push({ id: `D${String(i).padStart(3, '0')}`, pPay: 0.05 + (i % 20) / 25, balance: 200 + 50 * i });
  seeds.push(
    { id: 'X-DNC', doNotCall: true, pPay: 0.99, balance: 9000 },
    { id: 'X-SUR', stage: 'over_indebtedness', pPay: 0.99, balance: 9000 },
    { id: 'X-DISP', disputed: true, pPay: 0.99, balance: 9000 },
    { id: 'X-NOPHONE', phone: null, pPay: 0.99, balance: 9000 },
    { id: 'X-CONV', pPay: 0.99, balance: 9000, calls: [{ at: '2026-11-20T10:00:00Z', outcome: 'right_party_contact' }] },
    { id: 'X-CEASE', pPay: 0.99, balance: 9000 },
    { id: 'X-DNCREQ', pPay: 0.99, balance: 9000 },
    { id: 'X-WRONG', pPay: 0.99, balance: 9000, phone: '+33699999999', calls: [{ at: '2026-10-01T10:00:00Z', outcome: 'wrong_number', phone: '+33699999999' }] },
    { id: 'X-FREQ', pPay: 0.99, balance: 9000, calls: ['18', '19', '20', '21', '22', '23', '23'].map((d, k) => ({ at: `2026-11-${d}T${10 + k}:00:00Z`, outcome: 'no_answer' })) },
  );
  return seeds;
}

describe.each(engines)('buildAndPublishCallList on $name', ({ open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    await seedDebtors(t.db.knex, LIST_DATE, population());
    await t.db.knex('dialer.contact_requests').insert([
      { debtor_id: 'X-CEASE', kind: 'cease_communication', requested_on: '2026-11-20' },
      { debtor_id: 'X-DNCREQ', kind: 'do_not_call', requested_on: '2026-11-23' },
      // A request dated after the list date does not apply yet.
      { debtor_id: 'D001', kind: 'do_not_call', requested_on: '2026-11-25' },
    ]);
  }, 120_000);
  afterAll(async () => t?.close());

  // 1 agent × 2 h × 0.5 occupancy = 60 minutes: not everyone fits.
  const config = rankingConfig({ teams: [{ id: 'equipe-1', agents: 1, hours: '09:00-11:00', occupancy: 0.5 }], holdout: { share: 0.1 } });

  it('publishes a ranked list with every term, and records every exclusion with its rule', async () => {
    const report = await buildAndPublishCallList(t.db, { listDate: LIST_DATE, runId: 'run-1', config, log: silentLogger, clock });
    expect(report.candidates).toBe(69);
    const rules = (await t.db.knex('dialer.exclusions').where({ list_date: LIST_DATE }).orderBy('debtor_id')) as { debtor_id: string; rule: string }[];
    expect(Object.fromEntries(rules.map((r) => [r.debtor_id, r.rule]))).toEqual({
      'X-CEASE': 'cease_communication',
      'X-CONV': 'after_conversation',
      'X-DISP': 'disputed',
      'X-DNC': 'do_not_call',
      'X-DNCREQ': 'do_not_call',
      'X-FREQ': 'frequency_cap',
      'X-NOPHONE': 'no_valid_phone',
      'X-SUR': 'legal_stage',
      'X-WRONG': 'no_valid_phone',
    });
    const list = (await t.db.knex('dialer.call_list').where({ list_date: LIST_DATE }).orderBy('rank')) as Record<string, unknown>[];
    expect(list.length).toBe(report.listed);
    expect(report.listed).toBeGreaterThan(5);
    expect(report.deferred).toBeGreaterThan(0);
    const minutes = list.reduce((s, r) => s + Number(r.expected_minutes), 0);
    expect(minutes).toBeLessThanOrEqual(60 + 1e-6);
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      expect(r.rank).toBe(i + 1);
      expect(Number(r.expected_recovery)).toBeCloseTo(Number(r.p_pay) * Number(r.expected_amount) * Number(r.p_contact), 6);
      expect(Number(r.priority)).toBeCloseTo(Number(r.expected_recovery) / Number(r.expected_minutes), 6);
      if (i > 0) expect(Number(r.priority)).toBeLessThanOrEqual(Number(list[i - 1]!.priority) + 1e-12);
      expect(String(r.phone_e164)).toMatch(/^\+\d{8,15}$/);
      const start = new Date(r.window_start as string).getTime();
      expect(start).toBeGreaterThanOrEqual(Date.parse('2026-11-24T08:00:00Z'));
      expect(new Date(r.window_end as string).getTime()).toBeLessThanOrEqual(Date.parse('2026-11-24T10:00:00Z'));
    }
    const deferred = (await t.db.knex('dialer.deferred').where({ list_date: LIST_DATE })) as { priority: number; team_id: string }[];
    const lowestListed = Math.min(...list.map((r) => Number(r.priority)));
    // Greedy in priority order: what is deferred never beats the last listed by more than what the minutes allowed.
    expect(deferred.every((d) => d.team_id === 'equipe-1')).toBe(true);
    expect(Math.max(...deferred.map((d) => d.priority))).toBeLessThanOrEqual(Math.max(...list.map((r) => Number(r.priority))));
    expect(lowestListed).toBeGreaterThan(0);
    const holdout = (await t.db.knex('dialer.holdout').where({ list_date: LIST_DATE })) as { debtor_id: string }[];
    expect(report.holdout).toBe(holdout.length);
    const listed = new Set(list.map((r) => r.debtor_id));
    expect(holdout.some((h) => listed.has(h.debtor_id))).toBe(false);
    // Every scored debtor is accounted for exactly once.
    const excluded = new Set(rules.map((r) => r.debtor_id));
    expect(listed.size + excluded.size + deferred.length + holdout.length).toBe(69);
  });

  it('re-running the date leaves the same rows', async () => {
    const before = await t.db.knex('dialer.call_list').where({ list_date: LIST_DATE }).orderBy(['team_id', 'rank']).select('debtor_id', 'rank', 'priority', 'window_start', 'reasons');
    await buildAndPublishCallList(t.db, { listDate: LIST_DATE, runId: 'run-1', config, log: silentLogger, clock });
    const after = await t.db.knex('dialer.call_list').where({ list_date: LIST_DATE }).orderBy(['team_id', 'rank']).select('debtor_id', 'rank', 'priority', 'window_start', 'reasons');
    expect(after).toEqual(before);
    const [row] = (await t.db.knex('dialer.publications').where({ list_date: LIST_DATE }).count({ n: '*' })) as { n: number }[];
    expect(Number(row?.n)).toBe(1);
  });
});
