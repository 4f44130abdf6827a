import { calibrationOf, reliabilityLines } from '../../src/cli/reliability-lines';

describe('models show: reliability curve and calibration error', () => {
  test('prints each bin (mean predicted, observed, rows) and the ECE; says so when nothing was measured', () => {
    const lines = reliabilityLines({ auc: 0.8, cost: 0.5, ece: 0.0123, reliability: [{ lo: 0, hi: 0.1, count: 40, meanPredicted: 0.05, observedRate: 0.075 }, { lo: 0.3, hi: 0.4, count: 7, meanPredicted: 0.34, observedRate: 0.2857 }] });
    expect(lines[0]).toBe('reliability on the holdout (expected calibration error 0.0123):');
    expect(lines.slice(1)).toEqual([
      '  P(pay) bin  mean predicted  observed  rows',
      '  ----------  --------------  --------  ----',
      '  0.0–0.1              0.050     0.075    40',
      '  0.3–0.4              0.340     0.286     7',
    ]);
    expect(reliabilityLines({ auc: 0.8, cost: 0.5 })).toEqual(['reliability: not measured for this version']);
    expect(calibrationOf({ kind: 'logistic', formatVersion: 1, featureNames: [], calibration: { kind: 'platt', slope: 0.9, intercept: -0.1 } })).toBe('platt (slope 0.900, intercept -0.100)');
    expect(calibrationOf({ kind: 'logistic', formatVersion: 1, featureNames: [] })).toBe('none');
  });
});
