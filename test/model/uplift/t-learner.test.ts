import { Rng } from '../../../src/core/rng';
import { GbdtClassifier } from '../../../src/model/gbdt';
import { fitTLearner, predictUplift } from '../../../src/model/uplift/t-learner';
import { qiniCoefficient } from '../../../src/model/uplift/uplift-metrics';

/**
 * Debtors with a propensity x1 and a responsiveness x2; a call (given at random to 40 %, more often
 * to high x1 — a confounded policy, as offices call larger balances more) adds 1.6 to the logit of
 * the responsive (x2 > 0) and nothing to the others. The true uplift is known exactly.
 */
function office(n: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  const treated = new Uint8Array(n);
  const truth = new Float64Array(n);
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal(0, 1);
    const x2 = rng.normal(0, 1);
    data[2 * i] = x1;
    data[2 * i + 1] = x2;
    const base = -1.5 + x1;
    const lift = x2 > 0 ? 1.6 : 0;
    truth[i] = sigmoid(base + lift) - sigmoid(base);
    treated[i] = rng.next() < sigmoid(-0.4 + 0.8 * x1) ? 1 : 0;
    y[i] = rng.next() < sigmoid(base + (treated[i] ? lift : 0)) ? 1 : 0;
  }
  return { ds: { nRows: n, nCols: 2, data, y, featureNames: ['x1', 'x2'] }, treated, truth };
}

describe('T-learner of the effect of a call', () => {
  it('ranks debtors by the uplift of the call, not by their propensity to pay', async () => {
    const train = office(12000, 1);
    const test = office(4000, 2);
    const model = await fitTLearner(train.ds, train.treated, new GbdtClassifier({ numRounds: 150, learningRate: 0.05, numLeaves: 8, minDataInLeaf: 50, nThreads: 1 }));
    expect(model.rows.treated + model.rows.control).toBe(12000);
    const { uplift, pCalled, pNotCalled } = predictUplift(model, test.ds);
    expect(qiniCoefficient(uplift, test.truth)).toBeGreaterThan(0.6);
    // The propensity ordering (P(pay) if not called) finds far less of the uplift.
    expect(qiniCoefficient(pNotCalled, test.truth)).toBeLessThan(qiniCoefficient(uplift, test.truth) - 0.3);
    for (let i = 0; i < 10; i++) expect(uplift[i]).toBeCloseTo(pCalled[i]! - pNotCalled[i]!, 12);
  });

  it('refuses an arm it cannot learn from', async () => {
    const { ds } = office(500, 3);
    await expect(fitTLearner(ds, new Uint8Array(500), new GbdtClassifier({ numRounds: 5, nThreads: 1 }))).rejects.toThrow(/treated arm/);
  });
});
