import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng';
import { synthesize, truthDirOf } from '../../src/synth';
import { buildCalendar } from '../../src/synth/calendar';
import { applyEvents, caseBalance, cloneDebtor } from '../../src/synth/debtor';
import { generateDebtor, type GeneratedDebtor } from '../../src/synth/generate';
import { bestSlot } from '../../src/synth/person';
import { SHIFTS } from '../../src/synth/shift';
import { newRecords, PromiseStatus, simulateDays, simulateListDay, type ListDayAction, type Records } from '../../src/synth/simulate';
import { meanSpontaneousPayment } from '../../src/synth/amounts';
import { groundTruth, type Truth } from '../../src/synth/truth';
import { auc, readRows, tempDir } from './export-reader';

const AS_OF = '2026-11-24';
const cal = buildCalendar({ asOf: AS_OF, historyMonths: 24, futureDays: 30 });

/**
 * The expected amount of the one payment of a replay given how it came (Rao–Blackwellised, since a
 * rare settlement in full would otherwise dominate the sample variance): a kept promise pays its
 * promised amount when it came from the history, else the mean amount of a promise made on its day;
 * a spontaneous payment the mean amount on its case on its day. The balance on a day follows from the
 * state along the path without payment (escalation fees), replayed day by day as the simulation does.
 */
function expectedOf(g: GeneratedDebtor, rec: Records): number {
  const payment = rec.payments[0];
  if (!payment) return 0;
  // The promise a kept payment keeps: the latest one made before it.
  const kept = payment.kept ? rec.promises.filter((p) => p.day <= payment.day).pop() : undefined;
  if (kept && kept.day < cal.asOfIndex) return kept.amount;
  const day = kept ? kept.day : payment.day;
  const s = cloneDebtor(g.state);
  for (let d = cal.asOfIndex; d <= day; d++) if (d >= s.nextEventDay) applyEvents(s, d);
  return meanSpontaneousPayment(s.person.instalment, caseBalance(s.cases[kept ? kept.caseIndex : payment.caseIndex]!));
}

/** Monte Carlo of the 30 days from the list date: P(pay), mean amount (cents) and its variance. */
function replay(g: GeneratedDebtor, action: ListDayAction, reps: number, rng: Rng): { p: number; amount: number; amountVar: number } {
  let hits = 0;
  let sum = 0;
  let squares = 0;
  const start = cal.asOfIndex;
  for (let r = 0; r < reps; r++) {
    const s = cloneDebtor(g.state);
    const rec = newRecords();
    // The promise pending from the history, so that its keeping is recorded.
    s.pendingRecord = -1;
    if (s.pendingDue >= 0) {
      s.pendingRecord = 0;
      rec.promises.push({ day: -1, caseIndex: s.pendingCase, amount: s.pendingAmount, due: s.pendingDue, status: PromiseStatus.Pending });
    }
    const stream = rng.fork('rep');
    simulateListDay(s, start, cal, stream, rec, action, bestSlot(s.person));
    simulateDays(s, start + 1, start + 30, cal, stream, rec);
    expect(rec.payments.length).toBeLessThanOrEqual(1);
    const paid = expectedOf(g, rec);
    if (rec.payments.length > 0) hits++;
    sum += paid;
    squares += paid * paid;
  }
  const amount = sum / reps;
  return { p: hits / reps, amount, amountVar: Math.max(0, squares / reps - amount * amount) };
}

function expectAgreement(truth: Truth, mc: ReturnType<typeof replay>, reps: number): void {
  const p = truth.pPay;
  expect(Math.abs(mc.p - p)).toBeLessThanOrEqual(4.5 * Math.sqrt((p * (1 - p)) / reps) + 1e-9);
  expect(Math.abs(mc.amount - truth.expectedAmount)).toBeLessThanOrEqual(4.5 * Math.sqrt(mc.amountVar / reps) + 1);
}

describe('the list date counterfactuals are the exact expectations of the simulated process', () => {
  const ctx = { seed: 91, offices: 3, cal, shift: SHIFTS.none!, horizonDays: 0 };
  const all: GeneratedDebtor[] = [];
  for (let i = 0; i < 2500; i++) {
    const g = generateDebtor(ctx, i);
    if (g.open) all.push(g);
  }
  const lift = (g: GeneratedDebtor): number => g.uplift.called.pPay - g.uplift.notCalled.pPay;
  const paidRecently = (g: GeneratedDebtor): boolean => g.state.lastPay >= 0 && cal.asOfIndex - g.state.lastPay < 30;
  const putOff = (g: GeneratedDebtor): boolean => g.state.putOffUntil > cal.asOfIndex;
  const pick = (xs: GeneratedDebtor[], n: number): GeneratedDebtor[] => xs.slice(0, n);
  const byLift = [...all].sort((a, b) => lift(b) - lift(a));
  const cases: [string, GeneratedDebtor[]][] = [
    ['the largest gains', pick(byLift, 5)],
    ['the largest losses (a call puts them off)', pick([...byLift].reverse().filter((g) => g.state.person.putOffProne), 4)],
    ['a promise pending on the list date', pick(all.filter((g) => g.state.pendingDue >= 0), 4)],
    ['paid in the last 30 days', pick(all.filter(paidRecently), 3)],
    ['already put off by an earlier call', pick(all.filter(putOff), 3)],
    ['likely payers', pick([...all].sort((a, b) => b.truth.pPay - a.truth.pPay), 3)],
  ];

  it.each(cases)('for %s', (_label, picked) => {
    expect(picked.length).toBeGreaterThanOrEqual(2);
    const rng = new Rng(`uplift-${_label}`);
    const reps = 2500;
    for (const g of picked) {
      const called = replay(g, 'called', reps, rng);
      const notCalled = replay(g, 'not-called', reps, rng);
      expectAgreement(g.uplift.called, called, reps);
      expectAgreement(g.uplift.notCalled, notCalled, reps);
      const trueLift = g.uplift.called.expectedAmount - g.uplift.notCalled.expectedAmount;
      const se = Math.sqrt((called.amountVar + notCalled.amountVar) / reps);
      expect(Math.abs(called.amount - notCalled.amount - trueLift)).toBeLessThanOrEqual(4.5 * se + 1);
    }
  });

  it('gives the usual policy its own truth between the two counterfactuals for most debtors', () => {
    // Under the usual policy the office calls on the list date with some probability (at another hour):
    // the policy's P(pay) lies between "not called" and "called" up to the hour effect.
    const inside = all.filter((g) => {
      const lo = Math.min(g.uplift.called.pPay, g.uplift.notCalled.pPay) - 1e-9;
      const hi = Math.max(g.uplift.called.pPay, g.uplift.notCalled.pPay) + 1e-9;
      return g.truth.pPay >= lo && g.truth.pPay <= hi;
    });
    expect(inside.length / all.length).toBeGreaterThan(0.9);
    for (const g of all.slice(0, 50)) expect(groundTruth(g.state, cal, 'policy')).toEqual(g.truth);
  });

  it('does not make the effect of a call a function of the propensity to pay', () => {
    const ps = all.map((g) => g.uplift.notCalled.pPay);
    const lifts = all.map(lift);
    expect(Math.abs(correlation(ps, lifts))).toBeLessThan(0.2);
    const rho = all.map((g) => g.state.person.responsiveness);
    expect(correlation(rho, lifts)).toBeGreaterThan(0.3);
    expect(Math.abs(correlation(rho, ps))).toBeLessThan(0.1);
  });
});

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('uplift.csv and what the history reveals of responsiveness', () => {
  const out = join(tempDir('uplift'), 'export');
  let uplift: Record<string, string>[];
  beforeAll(async () => {
    await synthesize({ debtors: 4000, seed: 23, outDir: out, asOf: AS_OF });
    uplift = readLfRows(join(truthDirOf(out), 'uplift.csv'));
  });

  it('writes one row per debtor whose uplift is the difference of its two counterfactuals', () => {
    expect(uplift.length).toBe(4000);
    for (const r of uplift) {
      expect(Number(r.uplift_p)).toBeCloseTo(Number(r.p_pay_called) - Number(r.p_pay_not_called), 5);
      expect(Math.abs(Number(r.uplift_amount) - (Number(r.expected_amount_called) - Number(r.expected_amount_not_called)))).toBeLessThanOrEqual(0.011);
    }
  });

  it('counts the open debtors of each kind in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(truthDirOf(out), 'manifest.json'), 'utf8')) as { openDebtors: number; upliftSegments: Record<string, number>; meanUpliftOpen: number };
    const counted = Object.values(manifest.upliftSegments).reduce((a, b) => a + b, 0);
    expect(counted).toBe(manifest.openDebtors);
    expect(manifest.meanUpliftOpen).toBeGreaterThan(5);
    expect(manifest.meanUpliftOpen).toBeLessThan(20);
  });

  it('has the four kinds of debtor in the shares docs/uplift.md states', () => {
    const open = new Set(readRows(join(out, 'dossiers.csv')).filter((r) => r.statut === 'EN_COURS').map((r) => r.id_debiteur as string));
    const rows = uplift.filter((r) => open.has(r.id_debiteur as string));
    const share = (s: string): number => rows.filter((r) => r.segment === s).length / rows.length;
    expect(share('persuadable')).toBeGreaterThan(0.25);
    expect(share('persuadable')).toBeLessThan(0.45);
    expect(share('sure_thing')).toBeGreaterThan(0.08);
    expect(share('sure_thing')).toBeLessThan(0.2);
    expect(share('lost_cause')).toBeGreaterThan(0.38);
    expect(share('lost_cause')).toBeLessThan(0.58);
    expect(share('do_not_disturb')).toBeGreaterThan(0.01);
    expect(share('do_not_disturb')).toBeLessThan(0.05);
  });

  it('lets the history show responsiveness: promises kept after calls rank the true uplift', () => {
    const debtorOf = (id: string): string => 'D' + id.slice(3, 10);
    const kept = new Map<string, number>();
    for (const r of readRows(join(out, 'promesses.csv'))) {
      if (r.statut_promesse !== 'TENUE') continue;
      const id = debtorOf(r.id_promesse as string);
      kept.set(id, (kept.get(id) ?? 0) + 1);
    }
    const responsive = uplift.map((r) => Number(r.responsiveness));
    const hasKept = uplift.map((r) => (kept.has(r.id_debiteur as string) ? 1 : 0));
    // Partly observable: debtors who kept a phone promise are more responsive, far from perfectly.
    const score = auc(responsive, hasKept);
    expect(score).toBeGreaterThan(0.6);
    expect(score).toBeLessThan(0.9);
  });
});

/** Rows of an LF-terminated `;` file keyed by header. */
function readLfRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const columns = (header ?? '').split(';');
  return lines.map((line) => Object.fromEntries(line.split(';').map((v, i) => [columns[i], v])));
}
