import { pairwiseSum, populationStd } from '../../../src/monitoring/drift/pairwise-sum';

// a[i] = sin(i) · 10^(i mod 7), i < 300: numpy's sum differs from both the naive left-to-right
// sum and the correctly rounded one, so only numpy's order reproduces it.
const a = Array.from({ length: 300 }, (_, i) => Math.sin(i) * 10 ** (i % 7));

describe('numpy-order summation', () => {
  test('reproduces np.sum bit for bit (numpy 1.24.2)', () => {
    const naive = a.reduce((s, v) => s + v, 0);
    expect(naive).not.toBe(1750037.6192062735);
    expect(pairwiseSum(a)).toBe(1750037.6192062735);
  });

  test('reproduces np.std (ddof = 0) to the last bits', () => {
    expect(Math.abs(populationStd(a) - 261893.87231818188)).toBeLessThanOrEqual(261893.87231818188 * 4e-16);
  });

  test('short and empty inputs', () => {
    expect(pairwiseSum([])).toBe(0);
    expect(pairwiseSum([1, 2, 3])).toBe(6);
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(populationStd([])).toBeNaN();
  });
});
