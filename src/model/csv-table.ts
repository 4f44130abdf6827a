/**
 * A CSV file as typed columns: a header line, then one record per line; quoted fields (RFC 4180)
 * are understood. Empty fields and `NA` are missing. A column whose non-missing fields all parse
 * as finite numbers is numeric; any other column is categorical, its strings coded 0…k−1 in sorted
 * order. An empty header name becomes `column_<index>` (0-based).
 */
import { readFileSync } from 'node:fs';
import { InputFileError } from '../core/errors';

/** A numeric column; NaN marks a missing value. */
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

/** A categorical column: integer codes into `levels`, NaN missing. */
export interface CategoricalColumn {
  readonly name: string;
  readonly kind: 'categorical';
  readonly values: Float64Array;
  readonly levels: readonly string[];
}

/** A typed table read from CSV. */
export interface CsvTable {
  readonly nRows: number;
  readonly columns: readonly (NumericColumn | CategoricalColumn)[];
}

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Field separator (one character). @defaultValue ',' */
  readonly delimiter?: string;
  /** Field values read as missing (compared after trimming). @defaultValue ['', 'NA'] */
  readonly missing?: readonly string[];
  /** File name used in error messages. @defaultValue '<csv>' */
  readonly file?: string;
}

/** Splits CSV text into records of raw fields (quotes removed, `""` unescaped). */
export function splitCsvRecords(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    const line = text.slice(pos, end > pos && text[end - 1] === '\r' ? end - 1 : end);
    if (!line.includes('"')) {
      if (line.length > 0) records.push(line.split(delimiter));
      pos = end + 1;
      continue;
    }
    // slow path: quoted fields, possibly spanning lines
    const fields: string[] = [];
    let field = '';
    let i = pos;
    let inQuotes = false;
    for (; i < n; i++) {
      const ch = text[i] as string;
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
        } else field += ch;
      } else if (ch === '"') inQuotes = true;
      else if (ch === delimiter) { fields.push(field); field = ''; }
      else if (ch === '\n') break;
      else if (ch !== '\r') field += ch;
    }
    fields.push(field);
    records.push(fields);
    pos = i + 1;
  }
  return records;
}

/** Parses CSV text into a typed table. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1) throw new RangeError(`delimiter must be one character, got ${JSON.stringify(delimiter)}`);
  const file = options.file ?? '<csv>';
  const missing = new Set((options.missing ?? ['', 'NA']).map((m) => m.trim()));
  const records = splitCsvRecords(text, delimiter);
  const header = records[0];
  if (!header) throw new InputFileError(`${file}: no header line`, { context: { file, line: 1 } });
  const names = header.map((h, j) => h.trim() || `column_${j}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InputFileError(`${file}: duplicate column name ${name}`, { context: { file, line: 1, field: name } });
    seen.add(name);
  }
  const nRows = records.length - 1;
  const p = names.length;
  for (let r = 1; r < records.length; r++) {
    const len = (records[r] as string[]).length;
    if (len !== p) throw new InputFileError(`${file}: line ${r + 1} has ${len} fields, the header ${p}`, { context: { file, line: r + 1 } });
  }
  const columns = names.map((name, j) => {
    const numbers = new Float64Array(nRows);
    let numeric = true;
    for (let r = 0; r < nRows; r++) {
      const raw = ((records[r + 1] as string[])[j] as string).trim();
      if (missing.has(raw)) { numbers[r] = NaN; continue; }
      const v = Number(raw);
      if (!Number.isFinite(v)) { numeric = false; break; }
      numbers[r] = v;
    }
    if (numeric) return { name, kind: 'numeric' as const, values: numbers };
    const strings: (string | null)[] = [];
    const distinct = new Set<string>();
    for (let r = 0; r < nRows; r++) {
      const raw = ((records[r + 1] as string[])[j] as string).trim();
      const value = missing.has(raw) ? null : raw;
      strings.push(value);
      if (value !== null) distinct.add(value);
    }
    const levels = [...distinct].sort();
    const code = new Map(levels.map((l, k) => [l, k]));
    const values = Float64Array.from(strings, (s) => (s === null ? NaN : (code.get(s) as number)));
    return { name, kind: 'categorical' as const, values, levels };
  });
  return { nRows, columns };
}

/** Reads and parses a CSV file; I/O errors become an InputFileError naming the file. */
export function readCsvTable(path: string, options: Omit<CsvOptions, 'file'> = {}): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InputFileError(`cannot read ${path}`, { context: { file: path }, cause });
  }
  return parseCsv(text, { ...options, file: path });
}

/** The column named `name`; throws an InputFileError listing the available names. */
export function getColumn(table: CsvTable, name: string, file = '<csv>'): NumericColumn | CategoricalColumn {
  const col = table.columns.find((c) => c.name === name);
  if (!col) throw new InputFileError(`${file}: no column ${name} (columns: ${table.columns.map((c) => c.name).join(', ')})`, { context: { file, field: name } });
  return col;
}

/**
 * Reads a folds file (`row_index,fold`; row_index the 0-based data row) into a fold per row; every
 * row 0…nRows−1 must appear exactly once. When the file has a `y` column and `labels` are given,
 * each row's `y` must equal its label: a folds file made for another row order is refused.
 */
export function readFoldsFile(path: string, nRows: number, labels?: ArrayLike<number>): Int32Array {
  const table = readCsvTable(path);
  const index = getColumn(table, 'row_index', path);
  const fold = getColumn(table, 'fold', path);
  if (index.kind !== 'numeric' || fold.kind !== 'numeric') throw new InputFileError(`${path}: row_index and fold must be integers`, { context: { file: path } });
  const check = labels ? table.columns.find((c) => c.name === 'y') : undefined;
  const folds = new Int32Array(nRows).fill(-1);
  for (let r = 0; r < table.nRows; r++) {
    const i = index.values[r] as number;
    const f = fold.values[r] as number;
    if (!Number.isInteger(i) || i < 0 || i >= nRows) throw new InputFileError(`${path}: line ${r + 2}: row_index ${i} is not a data row (0–${nRows - 1})`, { context: { file: path, line: r + 2, field: 'row_index' } });
    if (!Number.isInteger(f) || f < 0) throw new InputFileError(`${path}: line ${r + 2}: fold ${f} is not a non-negative integer`, { context: { file: path, line: r + 2, field: 'fold' } });
    if (folds[i] !== -1) throw new InputFileError(`${path}: line ${r + 2}: row_index ${i} appears twice`, { context: { file: path, line: r + 2, field: 'row_index' } });
    if (check && labels && check.values[r] !== labels[i]) {
      throw new InputFileError(`${path}: line ${r + 2}: y ${check.values[r]} differs from the target of data row ${i} (${labels[i]}); the folds file does not match this CSV`, { context: { file: path, line: r + 2, field: 'y' } });
    }
    folds[i] = f;
  }
  const missingRow = folds.indexOf(-1);
  if (missingRow >= 0) throw new InputFileError(`${path}: row ${missingRow} has no fold`, { context: { file: path, field: 'row_index' } });
  return folds;
}
