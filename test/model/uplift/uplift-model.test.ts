import { Rng } from '../../../src/core/rng';
import { GbdtClassifier } from '../../../src/model/gbdt';
import { fitTLearner, predictUplift } from '../../../src/model/uplift/t-learner';
import { loadUpliftModel, predictUpliftScores, serializeUpliftModel, upliftModelOf } from '../../../src/model/uplift/uplift-model';
import { observedQini, observedUpliftByDecile } from '../../../src/model/uplift/uplift-metrics';

/** x2 > 0 are persuadable (a call adds 1.6 to their logit); calls go at random to half of them. */
function office(n: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  const treated = new Uint8Array(n);
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
  for (let i = 0; i < n; i++) {
    const [x1, x2] = [rng.normal(0, 1), rng.normal(0, 1)];
    data[2 * i] = x1;
    data[2 * i + 1] = x2;
    treated[i] = rng.next() < 0.5 ? 1 : 0;
    y[i] = rng.next() < sigmoid(-1.5 + x1 + (treated[i] && x2 > 0 ? 1.6 : 0)) ? 1 : 0;
  }
  return { ds: { nRows: n, nCols: 2, data, y, featureNames: ['x1', 'x2'] }, treated };
}

describe('stored uplift model', () => {
  it('predicts the same after a round trip through JSON, shrinking each effect towards the mean', async () => {
    const { ds, treated } = office(6000, 1);
    const learner = await fitTLearner(ds, treated, new GbdtClassifier({ numRounds: 60, learningRate: 0.1, numLeaves: 7, minDataInLeaf: 50, nThreads: 1 }));
    const model = upliftModelOf(learner, ds, 0.25);
    const raw = predictUplift(learner, ds).uplift;
    const mean = raw.reduce((s, x) => s + x, 0) / raw.length;
    expect(model.meanUplift).toBeCloseTo(mean, 12);
    const back = loadUpliftModel(JSON.parse(JSON.stringify(serializeUpliftModel(model))));
    const a = predictUpliftScores(model, ds);
    const b = predictUpliftScores(back, ds);
    for (let i = 0; i < 50; i++) {
      expect(b.pCalled[i]).toBeCloseTo(a.pCalled[i]!, 12);
      expect(b.uplift[i]).toBeCloseTo(a.uplift[i]!, 12);
      expect(a.uplift[i]).toBeCloseTo(mean + 0.25 * (raw[i]! - mean), 12);
    }
    expect(() => upliftModelOf(learner, ds, 1.5)).toThrow(/shrink/);
  });

  it('decomposes the effect of a reached call: P(promise) × P(kept) × (1 − P(pay if not called)), the same after JSON', async () => {
    const { ds, treated } = office(4000, 3);
    const gbdt = new GbdtClassifier({ numRounds: 30, learningRate: 0.1, numLeaves: 7, minDataInLeaf: 50, nThreads: 1 });
    const [promise, kept, control] = [await gbdt.fit(ds, { seed: 1 }), await gbdt.fit({ ...ds, y: treated }, { seed: 2 }), await gbdt.fit(ds, { seed: 3 })];
    const model = { kind: 'structural' as const, featureNames: ds.featureNames, promise, kept, control };
    const s = predictUpliftScores(model, ds);
    const [pp, pk, p0] = [promise.predictProba(ds), kept.predictProba(ds), control.predictProba(ds)];
    const back = predictUpliftScores(loadUpliftModel(JSON.parse(JSON.stringify(serializeUpliftModel(model)))), ds);
    for (let i = 0; i < 50; i++) {
      expect(s.uplift[i]).toBeCloseTo(pp[i]! * pk[i]! * (1 - p0[i]!), 12);
      expect(s.pNotCalled[i]).toBeCloseTo(p0[i]!, 12);
      expect(s.pCalled[i]).toBeCloseTo(p0[i]! + s.uplift[i]!, 12);
      expect(back.uplift[i]).toBeCloseTo(s.uplift[i]!, 12);
    }
  });

  it('measures an ordering on observed outcomes: positive Qini when it finds the persuadable, about 0 at random', () => {
    const { ds, treated } = office(20000, 2);
    const x2 = Float64Array.from({ length: ds.nRows }, (_, i) => ds.data[2 * i + 1]!);
    const random = Float64Array.from({ length: ds.nRows }, (_, i) => ((i * 7919) % 20000) / 20000);
    // The best ordering's curve climbs to Q(n) ≈ 10,000 called × ½ persuadable × ~0.23 ≈ 1,150 payers
    // at k = n/2 and stays flat: area over the chord ≈ Q(n) × n/4, i.e. Q(n) / 4n ≈ 0.014 after / n².
    expect(observedQini(x2, ds.y, treated)).toBeGreaterThan(0.012);
    expect(Math.abs(observedQini(random, ds.y, treated))).toBeLessThan(0.004);
    expect(observedQini(x2.map((v) => -v), ds.y, treated)).toBeLessThan(-0.012);
    const deciles = observedUpliftByDecile(x2, ds.y, treated);
    expect(deciles).toHaveLength(10);
    // the top half is persuadable (a call adds about 0.25 to P(pay)), the bottom half is not
    expect(deciles[0]!.uplift!).toBeGreaterThan(0.15);
    expect(Math.abs(deciles[9]!.uplift!)).toBeLessThan(0.06);
    expect(deciles.reduce((s, d) => s + d.rows, 0)).toBe(20000);
  });
});
