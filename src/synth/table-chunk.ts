/**
 * The rows of one export table for one block of debtors, with its planted mess: a few exact
 * duplicate rows and a few broken rows (extra rows derived from a real one, so every valid row
 * stays in the ground truth). Every planted row is counted for the manifest. In the first block,
 * the first rows of each table carry one of every kind, so even a small export holds all of them;
 * elsewhere they come at random.
 */
import type { Rng } from '../core/rng';
import { brokenKindsOf, type BrokenKind, type TableSpec } from './tables';

/** Row counts of one file, as written to the manifest. */
export interface TableCounts {
  /** Lines after the header. */
  dataRows: number;
  /** Distinct valid rows (what a loader must keep). */
  validRows: number;
  /** Extra exact copies of valid rows. */
  duplicates: number;
  /** Broken rows by kind. */
  broken: Partial<Record<BrokenKind, number>>;
}

/** Probability that a valid row is followed by an exact copy. */
export const DUPLICATE_RATE = 0.001;
/** Probability that a valid row is followed by a broken variant. */
export const BROKEN_RATE = 0.002;

const BAD_AMOUNTS = ['N/A', '#VALEUR!', '12,5O', 'abc', '--'];

function impossibleDate(original: string): string {
  const time = original.includes(' ') ? original.slice(original.indexOf(' ')) : '';
  if (/^\d{4}-/.test(original)) return '2025-02-31' + time;
  if (original.includes('-')) return '31-02-2025' + time;
  return '31/02/2025' + time;
}

/** Empty counts. */
export function emptyCounts(): TableCounts {
  return { dataRows: 0, validRows: 0, duplicates: 0, broken: {} };
}

/** Adds `more` into `into`. */
export function addCounts(into: TableCounts, more: TableCounts): void {
  into.dataRows += more.dataRows;
  into.validRows += more.validRows;
  into.duplicates += more.duplicates;
  for (const [kind, n] of Object.entries(more.broken) as [BrokenKind, number][]) into.broken[kind] = (into.broken[kind] ?? 0) + n;
}

/** Rows of one table for one block, CRLF-terminated, with their counts. */
export class TableChunk {
  readonly counts: TableCounts = emptyCounts();
  private readonly lines: string[] = [];
  private readonly kinds: BrokenKind[];
  /** Planting schedule of the first rows: valid row number → what follows it. */
  private readonly schedule = new Map<number, BrokenKind | 'duplicate'>();

  /** `first`: whether this is the export's first block, whose first rows carry every kind. */
  constructor(readonly spec: TableSpec, first: boolean) {
    this.kinds = brokenKindsOf(spec);
    if (first) ['duplicate' as const, ...this.kinds].forEach((kind, i) => this.schedule.set(7 + 13 * i, kind));
  }

  /** The block's rows as one text. */
  text(): string {
    return this.lines.join('');
  }

  /** Writes a valid row (fields already CSV-safe) and, sometimes, a duplicate or broken variant. */
  row(fields: string[], rng: Rng): void {
    const line = fields.join(';') + '\r\n';
    this.lines.push(line);
    this.counts.validRows++;
    this.counts.dataRows++;
    const u = rng.next();
    const planned = this.schedule.get(this.counts.validRows);
    if (planned === 'duplicate' || (planned === undefined && u < DUPLICATE_RATE)) {
      this.lines.push(line);
      this.counts.duplicates++;
      this.counts.dataRows++;
    } else if (planned !== undefined || u < DUPLICATE_RATE + BROKEN_RATE) {
      const kind = planned ?? (this.kinds[rng.int(this.kinds.length)] as BrokenKind);
      this.lines.push(this.broken(fields, kind, rng) + '\r\n');
      this.counts.broken[kind] = (this.counts.broken[kind] ?? 0) + 1;
      this.counts.dataRows++;
    }
  }

  private broken(original: string[], kind: BrokenKind, rng: Rng): string {
    const fields = [...original];
    const spec = this.spec;
    if (kind === 'missing_key') fields[spec.key] = '';
    else fields[spec.key] = (fields[spec.key] as string) + 'X';
    if (kind === 'non_numeric_amount') fields[spec.amount] = rng.pick(BAD_AMOUNTS);
    if (kind === 'impossible_date') fields[spec.date] = impossibleDate(fields[spec.date] as string);
    if (kind === 'wrong_field_count') {
      if (rng.bernoulli(0.5)) fields.pop();
      else fields.push('x');
    }
    return fields.join(';');
  }
}
