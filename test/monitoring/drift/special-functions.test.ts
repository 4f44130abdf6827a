import { chiSquareSurvival, erf, erfc, lnGamma, normalCdf, regularizedGammaP, regularizedGammaQ } from '../../../src/monitoring/drift/special-functions';
import { expectRelative } from './drift-fixtures';

// Reference figures from scipy 1.10.1 (stats.chi2.sf, special.ndtr, special.erf/erfc, special.gammaln).
describe('special functions against scipy', () => {
  test.each([
    [0.5, 1, 0.47950012218695337], [3.84, 1, 0.05004352124870519], [63.43843317303784, 4, 5.486838315965217e-13],
    [10, 3, 0.01856613546304325], [200, 150, 0.003973185970821635], [0.001, 7, 0.9999999999997597], [30, 40, 0.8752187849674751],
  ])('chi2.sf(%p, %p) = %p', (x, dof, expected) => {
    expectRelative(chiSquareSurvival(x, dof), expected, 1e-13, 'chi2.sf');
  });

  test.each([
    [-8, 6.22096057427174e-16], [-3, 0.0013498980316300933], [-1, 0.15865525393145707], [-0.3, 0.3820885778110474],
    [0, 0.5], [0.2, 0.579259709439103], [0.7071, 0.7602478320101365], [1, 0.8413447460685429],
    [1.96, 0.9750021048517795], [3, 0.9986501019683699], [5, 0.9999997133484281],
  ])('ndtr(%p) = %p', (x, expected) => {
    expectRelative(normalCdf(x), expected, 1e-14, 'ndtr');
  });

  test('Φ rounds to exactly 1 from about 8.3 on, as in scipy', () => {
    expect(normalCdf(8.2)).toBe(0.9999999999999999);
    expect(normalCdf(8.3)).toBe(1);
    expect(1 - normalCdf(9)).toBe(0);
  });

  test.each([
    [0.1, 0.1124629160182849, 0.8875370839817152], [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497148, 0.15729920705028516], [2.5, 0.999593047982555, 0.00040695201744495886],
    [4, 0.9999999845827421, 1.541725790028002e-08], [6, 1.0, 2.1519736712498913e-17],
  ])('erf(%p) = %p, erfc = %p', (x, e, c) => {
    expectRelative(erf(x), e, 1e-14, 'erf');
    expectRelative(erf(-x), -e, 1e-14, 'erf(-x)');
    expectRelative(erfc(x), c, 1e-13, 'erfc');
  });

  test.each([[0.3, 1.0957979948180756], [1.7, -0.09580769740706585], [12.5, 18.73434751193645], [101.3, 365.12287142402596], [10000, 82099.71749644238]])(
    'gammaln(%p) = %p',
    (x, expected) => expectRelative(lnGamma(x), expected, 1e-13, 'gammaln'),
  );

  test('P + Q = 1 across both expansions, and the closed form for a = 1', () => {
    for (const [a, x] of [[0.5, 0.2], [2, 1], [2, 5], [7.5, 7], [30, 45]] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 14);
    }
    expectRelative(regularizedGammaQ(1, 3.7), Math.exp(-3.7), 1e-14, 'Q(1, x)');
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
