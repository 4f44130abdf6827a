/**
 * Reads the drift anchors in `../shared/anchors/drift/`: the four scenarios (reference.csv,
 * current.csv, expected.json) and edge_cases.json, plus the comparisons at the tolerances their
 * README states.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColumnType, ColumnValue } from '../../../src/monitoring/drift/column-values';

/** Folder of the drift anchors (shared/ sits beside the repository). */
export const DRIFT_ANCHORS = path.resolve(__dirname, '../../../../shared/anchors/drift');

/** The scenario folders. */
export const SCENARIOS = ['small_nodrift', 'small_drift', 'large_nodrift', 'large_drift'] as const;

/** One column's expected result, as in expected.json. */
export interface ExpectedColumn {
  type: ColumnType;
  test: string;
  score: number;
  threshold: number;
  drift: boolean;
  psi: number;
  psi_threshold: number;
  psi_drift: boolean;
  details: Record<string, unknown>;
}

/** A dataset verdict, as in expected.json. */
export interface ExpectedDataset {
  n_columns: number;
  n_drifted: number;
  share: number;
  drift_share: number;
  dataset_drift: boolean;
}

/** A scenario: its data as typed columns and what evidently computed. */
export interface Scenario {
  name: string;
  reference: Record<string, ColumnValue[]>;
  current: Record<string, ColumnValue[]>;
  expected: {
    columns: Record<string, ExpectedColumn>;
    dataset: ExpectedDataset;
    dataset_if_psi_for_all_columns: ExpectedDataset;
    n_reference_rows: number;
    n_current_rows: number;
  };
}

/**
 * A minimal CSV reader for the anchors: header row, comma separator, `\n` line ends, no quoting
 * (refused if present); a trailing newline is allowed.
 */
export function readCsv(text: string): { header: string[]; rows: string[][] } {
  if (text.includes('"')) throw new Error('quoted CSV fields are not supported by this reader');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [head, ...body] = lines;
  if (head === undefined) throw new Error('CSV without a header');
  const header = head.split(',');
  const rows = body.map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new Error(`CSV line ${i + 2}: ${cells.length} fields, header has ${header.length}`);
    return cells;
  });
  return { header, rows };
}

/** A CSV cell as a column value: empty is missing, `num` columns parse with `Number`. */
export function typedCell(cell: string, type: ColumnType): ColumnValue {
  if (cell === '') return null;
  if (type === 'cat') return cell;
  const v = Number(cell);
  if (Number.isNaN(v)) throw new Error(`not a number: ${cell}`);
  return v;
}

function readColumns(file: string, types: Record<string, ExpectedColumn>): Record<string, ColumnValue[]> {
  const { header, rows } = readCsv(fs.readFileSync(file, 'utf8'));
  const out: Record<string, ColumnValue[]> = {};
  header.forEach((name, c) => {
    const type = types[name]?.type;
    if (type === undefined) throw new Error(`${file}: column ${name} has no expected type`);
    out[name] = rows.map((r) => typedCell(r[c] as string, type));
  });
  return out;
}

/** Loads one scenario folder. */
export function loadScenario(name: string): Scenario {
  const dir = path.join(DRIFT_ANCHORS, name);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Scenario['expected'];
  return {
    name,
    expected,
    reference: readColumns(path.join(dir, 'reference.csv'), expected.columns),
    current: readColumns(path.join(dir, 'current.csv'), expected.columns),
  };
}

/** One single-column edge case, its `[value, count]` pairs expanded. */
export interface EdgeCase {
  name: string;
  exercises: string;
  type: ColumnType;
  reference: ColumnValue[];
  current: ColumnValue[];
  expected: ExpectedColumn;
}

function expand(pairs: [number | string | null, number][]): ColumnValue[] {
  const out: ColumnValue[] = [];
  for (const [value, count] of pairs) for (let i = 0; i < count; i++) out.push(value);
  return out;
}

/** Loads every case of edge_cases.json. */
export function loadEdgeCases(): EdgeCase[] {
  const raw = JSON.parse(fs.readFileSync(path.join(DRIFT_ANCHORS, 'edge_cases.json'), 'utf8')) as {
    cases: { name: string; exercises: string; type: ColumnType; reference: [number | string | null, number][]; current: [number | string | null, number][]; expected: ExpectedColumn }[];
  };
  return raw.cases.map((c) => ({ ...c, reference: expand(c.reference), current: expand(c.current) }));
}

/** |actual − expected| ≤ rel · |expected| (so an expected 0 must be matched exactly). */
export function expectRelative(actual: number, expected: number, rel: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= rel * Math.abs(expected);
  if (!ok) throw new Error(`${what}: got ${actual}, expected ${expected} (relative tolerance ${rel})`);
}

/** |actual − expected| ≤ abs. */
export function expectAbsolute(actual: number, expected: number, abs: number, what: string): void {
  if (!(Math.abs(actual - expected) <= abs)) throw new Error(`${what}: got ${actual}, expected ${expected} (absolute tolerance ${abs})`);
}

/** Element-wise relative comparison of two numeric arrays of the same length. */
export function expectRelativeArray(actual: readonly number[], expected: readonly number[], rel: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  expected.forEach((e, i) => expectRelative(actual[i] as number, e, rel, `${what}[${i}]`));
}
