/**
 * A drift column's values as the tests see them: missing values dropped per column, categories
 * counted and put in one stable order.
 */
import { ValidationError } from '../../core/errors';

/** Column type: numerical (`num`) or categorical (`cat`), as evidently's legacy type inference. */
export type ColumnType = 'num' | 'cat';

/** One raw cell: a number, a string, or missing (`null`, `undefined`, NaN, ±Infinity). */
export type ColumnValue = number | string | null | undefined;

/** A non-missing value, used as a category. */
export type Category = number | string;

/** A column with its missing values removed. */
export interface PresentValues<T extends Category = Category> {
  readonly values: readonly T[];
  /** How many cells were missing and dropped. */
  readonly missing: number;
}

/**
 * Drops missing cells. NaN and ±Infinity count as missing, as evidently turns ±inf into NaN
 * before `dropna`. The empty string is a value, not a missing cell.
 */
export function dropMissing(values: readonly ColumnValue[]): PresentValues {
  const out: Category[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number' && !Number.isFinite(v)) continue;
    out.push(v);
  }
  return { values: out, missing: values.length - out.length };
}

/** The present values of a numerical column; a string there is a caller error naming `field`. */
export function numericValues(values: readonly ColumnValue[], field: string): PresentValues<number> {
  const present = dropMissing(values);
  for (const v of present.values) {
    if (typeof v !== 'number') throw new ValidationError(`${field}: numerical column holds the string ${JSON.stringify(v)}`, { context: { field } });
  }
  return present as PresentValues<number>;
}

function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}

/** Category order: numbers ascending, then strings by Unicode code point (Python's order). */
export function compareCategories(a: Category, b: Category): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return compareCodePoints(a, b);
}

/** Occurrences of each value. Numbers and strings are distinct keys (1 ≠ "1"). */
export function countValues(values: readonly Category[]): Map<Category, number> {
  const counts = new Map<Category, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Counts of both sides over the sorted union of their values. */
export interface CategoryCounts {
  readonly categories: Category[];
  readonly reference: number[];
  readonly current: number[];
}

/** Counts per category over the sorted union of the values seen on either side. */
export function categoryCounts(reference: readonly Category[], current: readonly Category[]): CategoryCounts {
  const ref = countValues(reference);
  const cur = countValues(current);
  const categories = [...new Set([...ref.keys(), ...cur.keys()])].sort(compareCategories);
  return {
    categories,
    reference: categories.map((c) => ref.get(c) ?? 0),
    current: categories.map((c) => cur.get(c) ?? 0),
  };
}

/** Number of distinct values. */
export function countDistinct(values: readonly Category[]): number {
  return new Set(values).size;
}
