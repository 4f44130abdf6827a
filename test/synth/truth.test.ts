import { join } from 'node:path';
import { Rng } from '../../src/core/rng';
import { synthesize, truthDirOf } from '../../src/synth';
import { buildCalendar } from '../../src/synth/calendar';
import { cloneDebtor } from '../../src/synth/debtor';
import { generateDebtor } from '../../src/synth/generate';
import { dayRates, newRates } from '../../src/synth/hazards';
import { SHIFTS } from '../../src/synth/shift';
import { newRecords, simulateDays } from '../../src/synth/simulate';
import { auc, parseAmount, parseDate, readRows, readTruth, tempDir } from './export-reader';

const AS_OF = '2026-11-24';
const WINDOW_END = Date.UTC(2026, 11, 24);

describe('ground truth against the outcomes it predicts', () => {
  const out = join(tempDir('truth'), 'export');
  const debtorOf = (paymentId: string) => 'D' + paymentId.slice(3, 10);
  let truth: ReturnType<typeof readTruth>;
  const paid = new Map<string, number>();
  let open: string[];
  beforeAll(async () => {
    await synthesize({ debtors: 5000, seed: 21, outDir: out, asOf: AS_OF, horizonDays: 45 });
    truth = readTruth(truthDirOf(out));
    for (const row of readRows(join(truthDirOf(out), 'future_paiements.csv'))) {
      const day = parseDate(row.date_paiement as string) as Date;
      expect(day.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 24));
      if (day.getTime() >= WINDOW_END) continue;
      const id = debtorOf(row.id_paiement as string);
      paid.set(id, (paid.get(id) ?? 0) + (parseAmount(row.montant as string) as number));
    }
    const openIds = new Set(readRows(join(out, 'dossiers.csv')).filter((r) => r.statut === 'EN_COURS').map((r) => r.id_debiteur as string));
    open = [...truth.keys()].filter((id) => openIds.has(id));
  });

  it('predicts the pay rate of the horizon simulation within binomial error', () => {
    let expected = 0;
    let variance = 0;
    for (const { p } of truth.values()) {
      expected += p;
      variance += p * (1 - p);
    }
    expect(Math.abs(paid.size - expected)).toBeLessThan(4 * Math.sqrt(variance));
  });

  it('predicts the amount paid in the window', () => {
    let expected = 0;
    let realised = 0;
    let squares = 0;
    for (const { amount } of truth.values()) expected += amount;
    for (const amount of paid.values()) {
      realised += amount;
      squares += amount * amount;
    }
    expect(Math.abs(realised - expected)).toBeLessThan(4 * Math.sqrt(squares));
  });

  it('has 15–30 % of open debtors paying and ranks them well but not perfectly', () => {
    const rate = open.filter((id) => paid.has(id)).length / open.length;
    expect(rate).toBeGreaterThan(0.12);
    expect(rate).toBeLessThan(0.33);
    const score = auc(open.map((id) => truth.get(id)!.p), open.map((id) => (paid.has(id) ? 1 : 0)));
    expect(score).toBeGreaterThan(0.78);
    expect(score).toBeLessThan(0.93);
  });

  it('gives higher probabilities to debtors whose history shows more payments', () => {
    const history = new Map<string, number>();
    for (const row of readRows(join(out, 'paiements.csv'))) {
      const id = debtorOf(row.id_paiement as string);
      history.set(id, (history.get(id) ?? 0) + 1);
    }
    const ranked = [...open].sort((a, b) => truth.get(a)!.p - truth.get(b)!.p);
    const quarter = Math.floor(ranked.length / 4);
    const mean = (ids: string[]) => ids.reduce((n, id) => n + (history.get(id) ?? 0), 0) / ids.length;
    expect(mean(ranked.slice(-quarter))).toBeGreaterThan(2 * mean(ranked.slice(0, quarter)) + 0.5);
  });
});

describe('ground truth is the exact probability of the simulated process', () => {
  it('matches a Monte-Carlo estimate per debtor, including debtors with a pending promise', () => {
    const cal = buildCalendar({ asOf: AS_OF, historyMonths: 24, futureDays: 30 });
    const ctx = { seed: 77, offices: 3, cal, shift: SHIFTS.none!, horizonDays: 0 };
    const rng = new Rng(1);
    const picked = [];
    for (let i = 0; picked.length < 24 && i < 3000; i++) {
      const g = generateDebtor(ctx, i);
      const pending = g.state.pendingDue >= 0;
      if (pending || (picked.length < 12 && g.truth.pPay > 0.05)) picked.push(g);
    }
    expect(picked.filter((g) => g.state.pendingDue >= 0).length).toBeGreaterThanOrEqual(6);
    const reps = 800;
    for (const g of picked) {
      let hits = 0;
      for (let r = 0; r < reps; r++) {
        const s = cloneDebtor(g.state);
        const rec = newRecords();
        simulateDays(s, cal.asOfIndex, cal.asOfIndex + 30, cal, rng.fork('rep'), rec);
        if (rec.payments.length > 0) hits++;
      }
      const p = g.truth.pPay;
      expect(Math.abs(hits / reps - p)).toBeLessThanOrEqual(4.5 * Math.sqrt((p * (1 - p)) / reps) + 1e-9);
    }
  });

  it('matches Monte Carlo for the debtors whose payments come most from calls and promises', () => {
    const cal = buildCalendar({ asOf: AS_OF, historyMonths: 24, futureDays: 30 });
    const ctx = { seed: 78, offices: 3, cal, shift: SHIFTS.none!, horizonDays: 0 };
    const rates = newRates();
    const candidates = [];
    for (let i = 0; i < 1500; i++) {
      const g = generateDebtor(ctx, i);
      if (g.state.pendingDue >= 0) continue;
      dayRates(cloneDebtor(g.state), cal.asOfIndex + 1, cal, rates);
      candidates.push({ g, promise: rates.call * rates.promisePerCall, phones: g.state.person.phones.length });
    }
    candidates.sort((a, b) => b.promise - a.promise);
    const picked = [...candidates.filter((c) => c.phones === 1).slice(0, 6), ...candidates.filter((c) => c.phones > 1).slice(0, 6)];
    const rng = new Rng(2);
    const reps = 3000;
    for (const { g } of picked) {
      let hits = 0;
      for (let r = 0; r < reps; r++) {
        const rec = newRecords();
        simulateDays(cloneDebtor(g.state), cal.asOfIndex, cal.asOfIndex + 30, cal, rng.fork('rep'), rec);
        if (rec.payments.length > 0) hits++;
      }
      const p = g.truth.pPay;
      expect(Math.abs(hits / reps - p)).toBeLessThanOrEqual(4.5 * Math.sqrt((p * (1 - p)) / reps) + 1e-9);
    }
  });
});
