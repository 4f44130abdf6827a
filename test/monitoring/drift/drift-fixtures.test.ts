import { loadScenario, readCsv, typedCell } from './drift-fixtures';

describe('the anchors CSV reader', () => {
  test('reads the header and rows; an empty field is a missing value; numbers parse to the same doubles', () => {
    const { header, rows } = readCsv('a,b,c\n1.5,,x\n,2,\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(rows.map((r) => [typedCell(r[0] as string, 'num'), typedCell(r[1] as string, 'num'), typedCell(r[2] as string, 'cat')])).toEqual([
      [1.5, null, 'x'],
      [null, 2, null],
    ]);
    expect(typedCell('0.30000000000000004', 'num')).toBe(0.1 + 0.2);
  });

  test('refuses quoting, ragged lines and non-numbers in numerical columns', () => {
    expect(() => readCsv('a,b\n"x,y",1\n')).toThrow(/quoted/);
    expect(() => readCsv('a,b\n1\n')).toThrow(/line 2: 1 fields/);
    expect(() => typedCell('abc', 'num')).toThrow(/not a number/);
  });

  test('a scenario loads with its missing values where the README says', () => {
    const s = loadScenario('small_drift');
    const missing = (v: unknown[]): number => v.filter((x) => x === null).length;
    expect(missing(s.reference.x_lognormal ?? [])).toBe(44);
    expect(missing(s.current.x_lognormal ?? [])).toBe(67);
    expect(missing(s.reference.x_normal ?? [])).toBe(0);
    expect(new Set(s.reference.is_member)).toEqual(new Set(['yes', 'no']));
  });
});
