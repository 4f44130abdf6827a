/**
 * The nightly realised_uplift task on planted lists, control groups and payments whose true
 * difference is known: the called group (on the list) against the control debtors that would
 * have been listed, over the 30 days from each list date, with the intervals of
 * monitoring/uplift; lists are measured once their horizon has passed, missed nights caught up.
 */
import { FixedClock } from '../../src/core';
import { silentLogger } from '../../src/core/log';
import { addDays } from '../../src/core/ids';
import { compileConfig } from '../../src/config';
import { publishCallList, type CallList } from '../../src/ranking';
import { realisedUpliftStep } from '../../src/pipeline/realised-uplift-step';
import type { PipelineResources } from '../../src/pipeline/resources';
import { detectionWeeks, listRealisedUplift, moments, newcombeInterval, twoProportionSampleSize, welchInterval } from '../../src/monitoring/uplift';
import { engines, type TestDatabase } from '../helpers/db';

const D1 = '2026-10-05';
const D0 = '2026-09-28';
const config = compileConfig({ scoring: { horizonDays: 30, minPaidAmount: 1 } });

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const id = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`;

function list(listDate: string, called: string[], control: string[], notListed: string[]): CallList {
  const row = (debtorId: string, rank: number) => ({
    teamId: 'equipe-1', rank, debtorId, officeCode: 'ETU01',
    contact: { title: null, firstName: null, lastName: null, postalCode: null, country: 'FR' },
    phoneE164: '+33612345678', timeZone: 'Europe/Paris', windowStart: new Date(`${listDate}T08:00:00Z`), windowEnd: new Date(`${listDate}T10:00:00Z`),
    pPay: 0.3, expectedAmount: 100, amountBasis: 'past_payments' as const, pContact: 0.4, expectedRecovery: 12, expectedMinutes: 3, priority: 4, balance: 500, reasons: [], modelVersionId: 'm1',
  });
  const held = (debtorId: string, would: boolean) => ({ debtorId, month: listDate.slice(0, 7), teamId: 'equipe-1', pPay: 0.3, expectedAmount: 100, pContact: 0.4, priority: 4, expectedRecovery: 12, wouldBeListed: would });
  return {
    listDate, runId: `r-${listDate}`, modelVersionId: 'm1', settleShare: 0, candidates: called.length + control.length + notListed.length,
    rows: called.map((d, i) => row(d, i + 1)), exclusions: [], deferred: [],
    holdout: [...control.map((d) => held(d, true)), ...notListed.map((d) => held(d, false))],
  };
}

describe.each(engines)('realised uplift on $name', ({ open }) => {
  let t: TestDatabase;
  const resources = (): PipelineResources => ({ db: t.db, config, log: silentLogger, clock: new FixedClock('2026-11-04T01:00:00Z'), close: async () => undefined });
  const pay = (debtorId: string, on: string, amount: number, k = 0) => ({ payment_id: `${debtorId}-${on}-${k}`, case_id: `${debtorId}-C`, debtor_id: debtorId, paid_on: on, amount, method: 'VIR' });

  // List D1: 400 called, 200 control that would have been listed, 50 control that would not.
  const calledD1 = Array.from({ length: 400 }, (_, i) => id('C', i));
  const controlD1 = Array.from({ length: 200 }, (_, i) => id('H', i));
  const notListedD1 = Array.from({ length: 50 }, (_, i) => id('N', i));
  // Per called debtor, what it paid in [D1, D1 + 30): 120 paid 100 € (in two payments for 60 of
  // them), 20 paid 0.50 € (under the 1 € that counts as paid), the rest nothing in the window.
  const calledAmounts = calledD1.map((_, i) => (i < 120 ? 100 : i < 140 ? 0.5 : 0));
  const controlAmounts = controlD1.map((_, i) => (i < 40 ? 100 : 0));

  beforeAll(async () => {
    t = await open();
    // An older list D0 whose night was missed: 1,000 called and 500 control, drawn at random
    // with true pay rates 0.35 and 0.25 and 80 € per payer.
    const rnd = lcg(15);
    const calledD0 = Array.from({ length: 1000 }, (_, i) => id('A', i));
    const controlD0 = Array.from({ length: 500 }, (_, i) => id('B', i));
    await publishCallList(t.db, list(D0, calledD0, controlD0, []), new FixedClock(`${D0}T01:00:00Z`));
    await publishCallList(t.db, list(D1, calledD1, controlD1, notListedD1), new FixedClock(`${D1}T01:00:00Z`));
    const payments = [
      ...calledD0.filter(() => rnd() < 0.35).map((d) => pay(d, addDays(D0, 5), 80)),
      ...controlD0.filter(() => rnd() < 0.25).map((d) => pay(d, addDays(D0, 5), 80)),
      ...calledD1.flatMap((d, i) => (i < 60 ? [pay(d, addDays(D1, 2), 40), pay(d, addDays(D1, 20), 60)] : i < 120 ? [pay(d, addDays(D1, 10), 100)] : i < 140 ? [pay(d, addDays(D1, 1), 0.5)] : [])),
      // Outside the window: the day before the list, and day 30.
      ...calledD1.slice(200, 230).flatMap((d) => [pay(d, addDays(D1, -1), 500), pay(d, addDays(D1, 30), 500)]),
      // Day 29 is the last day inside.
      ...controlD1.slice(0, 40).map((d) => pay(d, addDays(D1, 29), 100)),
      // Would not have been listed: not compared, however much they paid.
      ...notListedD1.map((d) => pay(d, addDays(D1, 3), 1000)),
    ];
    await t.db.knex.batchInsert('clean.payments', payments, 500);
  }, 120_000);
  afterAll(async () => t?.close());

  it('measures nothing before a list is 30 days old', async () => {
    const out = await realisedUpliftStep(resources(), { listDate: addDays(D0, 29), log: silentLogger });
    expect(out).toEqual({ skipped: `no published list on or before ${addDays(D0, -1)}` });
    expect(await listRealisedUplift(t.db.knex)).toEqual([]);
  });

  it('compares the called group with the control debtors that would have been listed, with the known difference', async () => {
    // Tonight is D1 + 30: the list of D1 has its 30 days; the missed list of D0 is caught up.
    const out = (await realisedUpliftStep(resources(), { listDate: addDays(D1, 30), log: silentLogger })) as { lists: { listDate: string }[] };
    expect(out.lists.map((l) => l.listDate)).toEqual([D0, D1]);
    const [d0, d1] = await listRealisedUplift(t.db.knex);

    expect(d1!.listDate).toBe(D1);
    expect(d1!.called).toEqual({ n: 400, nPaid: 120, payRate: 0.3, recovered: 12_010, meanRecovered: 30.025 });
    expect(d1!.control).toEqual({ n: 200, nPaid: 40, payRate: 0.2, recovered: 4_000, meanRecovered: 20 });
    // True difference: 0.30 − 0.20 of the debtors paid; 30.025 € − 20 € per debtor.
    expect(d1!.payRateDiff!.estimate).toBeCloseTo(0.1, 12);
    const newcombe = newcombeInterval(120, 400, 40, 200);
    expect(d1!.payRateDiff!.low).toBeCloseTo(newcombe.low, 12);
    expect(d1!.payRateDiff!.high).toBeCloseTo(newcombe.high, 12);
    expect(d1!.amountDiff!.estimate).toBeCloseTo(10.025, 9);
    const welch = welchInterval(moments(calledAmounts), moments(controlAmounts))!;
    expect(d1!.amountDiff!.low).toBeCloseTo(welch.low, 6);
    expect(d1!.amountDiff!.high).toBeCloseTo(welch.high, 6);
    expect(d1!.amountDiff!.df).toBeCloseTo(welch.df, 6);
    expect(d1!.amountDiff!.low).toBeLessThan(10.025);
    expect(d1!.amountDiff!.high).toBeGreaterThan(10.025);

    // D0, drawn at random: the intervals hold the true differences (0.10 and 8 € per debtor).
    expect(d0!.called.n).toBe(1000);
    expect(d0!.control.n).toBe(500);
    expect(d0!.payRateDiff!.low).toBeLessThan(0.1);
    expect(d0!.payRateDiff!.high).toBeGreaterThan(0.1);
    expect(d0!.payRateDiff!.low).toBeGreaterThan(0);
    expect(d0!.amountDiff!.low).toBeLessThan(8);
    expect(d0!.amountDiff!.high).toBeGreaterThan(8);
  });

  it('measures the list again on a re-run (a late payment counts) and leaves measured older lists alone', async () => {
    await t.db.knex('clean.payments').insert(pay(controlD1[100]!, addDays(D1, 15), 100, 9));
    const before = (await listRealisedUplift(t.db.knex))[0]!;
    const out = (await realisedUpliftStep(resources(), { listDate: addDays(D1, 30), log: silentLogger })) as { lists: { listDate: string }[] };
    expect(out.lists.map((l) => l.listDate)).toEqual([D1]);
    const after = await listRealisedUplift(t.db.knex);
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual(before);
    expect(after[1]!.control).toMatchObject({ nPaid: 41, recovered: 4_100 });
    expect(after[1]!.payRateDiff!.estimate).toBeCloseTo(0.3 - 0.205, 12);
  });

  it('weeks of lists to detect an uplift, from the weekly would-be-listed debtors and the pooled control pay rate', async () => {
    const lists = await listRealisedUplift(t.db.knex);
    const d = await detectionWeeks(t.db.knex, { until: D1, holdoutShare: 0.05, lists, uplifts: [0.02, 0.05] });
    // Two 7-day blocks have a list: D1 (400 called + 200 control) and D0 (1,000 + 500).
    expect(d.volumeWeeks).toBe(2);
    expect(d.weeklyEligible).toBeCloseTo((600 + 1500) / 2, 9);
    expect(d.weeklyControl).toBeCloseTo(1050 * 0.05, 9);
    const pooled = (lists[0]!.control.nPaid + lists[1]!.control.nPaid) / 700;
    expect(d.basePayRate).toBeCloseTo(pooled, 12);
    expect(d.rows!.map((r) => r.weeks)).toEqual([0.02, 0.05].map((u) => Math.ceil(twoProportionSampleSize(pooled, u, 19).nControl / 52.5)));
  });
});
