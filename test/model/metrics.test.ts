import { Rng } from '../../src/core/rng';
import { accuracy, auc, averagePrecision, bayesThreshold, brier, businessCost, confusionAt, costAt, costCurve, ks, liftTable, logLoss, minimumCost } from '../../src/model/metrics';

function bruteAuc(y: number[], s: number[]): number {
  let wins = 0, pairs = 0;
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) {
    if (y[i] === 1 && y[j] === 0) { pairs++; wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0; }
  }
  return wins / pairs;
}

function randomCase(seed: number, n: number): { y: number[]; s: number[] } {
  const rng = new Rng(seed);
  const y: number[] = [], s: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng.bernoulli(0.3) ? 1 : 0;
    y.push(label);
    s.push(Math.round((rng.next() + 0.3 * label) * 8) / 8); // coarse scores: many ties
  }
  return { y, s };
}

describe('ranking metrics', () => {
  test('AUC on a hand-computed case and against brute-force pairs with ties', () => {
    expect(auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    for (const seed of [1, 2, 3]) {
      const { y, s } = randomCase(seed, 300);
      expect(auc(y, s)).toBeCloseTo(bruteAuc(y, s), 12);
    }
    expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  test('average precision equals the hand-computed step area', () => {
    // ranks: 0.8(+) P=1 R=.5; 0.4(−); 0.35(+) P=2/3 R=1 → 0.5·1 + 0.5·2/3
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 + 1 / 3, 12);
    // a tie of one positive and one negative at the top: P = 1/2 at recall 1
    expect(averagePrecision([1, 0, 0], [0.9, 0.9, 0.1])).toBeCloseTo(0.5, 12);
  });

  test('KS equals the brute-force maximum of TPR − FPR over thresholds', () => {
    const { y, s } = randomCase(4, 200);
    const P = y.filter((v) => v === 1).length, N = y.length - P;
    let best = 0;
    for (const t of new Set(s)) {
      const c = confusionAt(y, s, t);
      best = Math.max(best, Math.abs(c.tp / P - c.fp / N));
    }
    expect(ks(y, s)).toBeCloseTo(best, 12);
  });
});

describe('probability metrics', () => {
  test('accuracy, Brier and log-loss by hand', () => {
    const y = [1, 0, 1, 0];
    const p = [0.9, 0.2, 0.4, 0.6];
    expect(accuracy(y, p)).toBe(0.5);
    expect(brier(y, p)).toBeCloseTo((0.01 + 0.04 + 0.36 + 0.36) / 4, 12);
    expect(logLoss(y, p)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4)) / 4, 12);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });
});

describe('business cost', () => {
  test('confusion and cost at a threshold by hand', () => {
    const y = [1, 1, 0, 0, 0];
    const p = [0.5, 0.05, 0.2, 0.01, 0.0909];
    const c = confusionAt(y, p, 1 / 11);
    expect(c).toEqual({ tp: 1, fn: 1, fp: 1, tn: 2 });
    expect(businessCost(c)).toBeCloseTo((10 + 1) / 5, 12);
    expect(costAt(y, p, 1 / 11, { falseNegativeCost: 3, falsePositiveCost: 2 })).toBeCloseTo((3 + 2) / 5, 12);
    expect(bayesThreshold()).toBeCloseTo(1 / 11, 15);
    expect(() => costAt(y, p, 0.5, { falseNegativeCost: -1, falsePositiveCost: 1 })).toThrow(/falseNegativeCost/);
  });

  test('the cost curve visits every cut and its minimum matches brute force', () => {
    const { y, s } = randomCase(5, 250);
    const curve = costCurve(y, s);
    expect(curve).toHaveLength(new Set(s).size + 1);
    expect(curve[0]!.cost).toBeCloseTo((10 * y.filter((v) => v === 1).length) / y.length, 12);
    for (const pt of curve) expect(costAt(y, s, pt.threshold)).toBeCloseTo(pt.cost, 12);
    const brute = Math.min(...[Infinity, ...s].map((t) => costAt(y, s, t)));
    expect(minimumCost(y, s).cost).toBeCloseTo(brute, 12);
  });
});

describe('lift table', () => {
  test('lift and captured positives per group by hand', () => {
    const s = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const y = [1, 1, 0, 1, 0, 0, 0, 0, 1, 0];
    const t = liftTable(y, s, 5); // groups of 2 rows, overall rate 0.4
    expect(t.map((r) => r.positives)).toEqual([2, 1, 0, 0, 1]);
    expect(t[0]!.lift).toBeCloseTo(1 / 0.4, 12);
    expect(t[1]!.capturedPositives).toBeCloseTo(0.75, 12);
    expect(t[1]!.cumulativeLift).toBeCloseTo(0.75 / 0.4, 12);
    expect(t[4]!.capturedPositives).toBe(1);
    expect(liftTable(y, s).map((r) => r.rows)).toEqual(Array(10).fill(1));
  });
});
