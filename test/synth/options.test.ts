import { compileSynthOptions, DEFAULT_AS_OF } from '../../src/synth';

describe('synth options', () => {
  it('fills in the documented defaults', () => {
    const o = compileSynthOptions({ debtors: 10, seed: 1, outDir: '/tmp/x' });
    expect(o).toMatchObject({ asOf: DEFAULT_AS_OF, offices: 3, historyMonths: 24, horizonDays: 0, threads: 1 });
    expect(o.shift.name).toBe('none');
  });

  it.each([
    ['debtors', { debtors: 0 }],
    ['debtors', { debtors: 2.5 }],
    ['seed', { seed: -1 }],
    ['offices', { offices: 0 }],
    ['historyMonths', { historyMonths: 2 }],
    ['horizonDays', { horizonDays: -1 }],
    ['threads', { threads: 0 }],
    ['asOf', { asOf: '24/11/2026' }],
    ['outDir', { outDir: '' }],
  ])('names the bad field: %s', (field, bad) => {
    expect(() => compileSynthOptions({ debtors: 10, seed: 1, outDir: '/tmp/x', ...bad })).toThrow(
      expect.objectContaining({ name: 'ValidationError', context: { field } }),
    );
  });
});
