import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, readFoldsFile, splitCsvRecords } from '../../src/model/csv-table';

describe('CSV tables', () => {
  test('missing values, numeric detection, categorical codes and an unnamed first column', () => {
    const t = parseCsv(',amount,city,flag\n0,12.5,Lyon,1\n1,NA,Paris,0\n2,,"Lyon",1\n3,-3e2,,0\n');
    expect(t.nRows).toBe(4);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([['column_0', 'numeric'], ['amount', 'numeric'], ['city', 'categorical'], ['flag', 'numeric']]);
    expect(Array.from(t.columns[1]!.values)).toEqual([12.5, NaN, NaN, -300]);
    const city = t.columns[2]!;
    expect(city.kind === 'categorical' && city.levels).toEqual(['Lyon', 'Paris']);
    expect(Array.from(city.values)).toEqual([0, 1, 0, NaN]);
  });

  test('quoted fields keep delimiters, doubled quotes and line breaks', () => {
    expect(splitCsvRecords('a,b\r\n"x, y","say ""hi"""\n"two\nlines",3\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['two\nlines', '3']]);
  });

  test('ragged lines and duplicate headers are refused with the line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', { file: 'x.csv' })).toThrow(/x\.csv: line 3 has 1 fields/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/duplicate column name a/);
  });

  test('a folds file must give every row exactly one fold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-folds-'));
    try {
      const good = join(dir, 'good.csv');
      writeFileSync(good, 'row_index,fold,y\n2,0,1\n0,1,0\n1,0,0\n');
      expect(Array.from(readFoldsFile(good, 3))).toEqual([1, 0, 0]);
      const twice = join(dir, 'twice.csv');
      writeFileSync(twice, 'row_index,fold\n0,0\n0,1\n');
      expect(() => readFoldsFile(twice, 2)).toThrow(/row_index 0 appears twice/);
      expect(() => readFoldsFile(good, 4)).toThrow(/row 3 has no fold/);
      expect(() => readFoldsFile(join(dir, 'none.csv'), 1)).toThrow(/cannot read/);
      expect(Array.from(readFoldsFile(good, 3, [0, 0, 1]))).toEqual([1, 0, 0]);
      expect(() => readFoldsFile(good, 3, [1, 0, 1])).toThrow(/line 3: y 0 differs from the target of data row 0 \(1\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
