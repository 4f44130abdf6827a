import { Rng } from '../../../src/core/rng';
import { qiniCoefficient, upliftByDecile } from '../../../src/model/uplift/uplift-metrics';

describe('Qini coefficient and uplift by decile against a known uplift', () => {
  const rng = new Rng(5);
  const truth = Array.from({ length: 2000 }, () => rng.normal(1, 2));

  it('is 1 for the true ordering, about 0 for a random one, negative for the reversed one', () => {
    expect(qiniCoefficient(truth, truth)).toBeCloseTo(1, 12);
    expect(Math.abs(qiniCoefficient(truth.map(() => rng.next()), truth))).toBeLessThan(0.1);
    expect(qiniCoefficient(truth.map((x) => -x), truth)).toBeLessThan(-0.9);
  });

  it('worked by hand on four debtors', () => {
    // Truth 3, 1, 0, -2 ranked 1, 3, 0, -2: top-k totals 1, 4, 4, 2 (area 11); best 3, 4, 4, 2 (13);
    // random: total 2 × (4 + 1) / 2 = 5. Qini = (11 − 5) / (13 − 5).
    expect(qiniCoefficient([2, 3, 1, 0], [3, 1, 0, -2])).toBeCloseTo(6 / 8, 12);
  });

  it('gives decreasing deciles for the true ordering and their mean is the mean uplift', () => {
    const deciles = upliftByDecile(truth, truth);
    expect(deciles).toHaveLength(10);
    for (let d = 1; d < 10; d++) expect(deciles[d]!).toBeLessThanOrEqual(deciles[d - 1]!);
    const mean = truth.reduce((s, x) => s + x, 0) / truth.length;
    expect(deciles.reduce((s, x) => s + x, 0) / 10).toBeCloseTo(mean, 10);
  });
});
