/**
 * The fit, validation and test sets of an office training, read from the stored snapshots and
 * their labels in batches straight into typed matrices: no snapshot is ever held as JS objects,
 * so memory stays proportional to the matrices themselves whatever the office's size.
 */
import type { Knex } from 'knex';
import type { IsoDate } from '../core/ids';
import { hashString } from '../core/rng';
import { isInProcessPglite } from '../db';
import { SNAPSHOT_FEATURES, type FeatureRow } from './feature-columns';
import { modelFrameOfColumns, toModelFrame, type ModelFrame } from './model-frame';

/** A labelled matrix, row-major, NaN where missing (the shape of the models' LabelledMatrix). */
export interface LabelledMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly data: Float64Array;
  readonly featureNames: readonly string[];
  /** 1 when the debtor paid within the horizon after the snapshot, else 0. */
  readonly y: Uint8Array;
  /** The debtor of each row. */
  readonly debtorIds: readonly string[];
  /** The snapshot date of each row, when the reader knows it. */
  readonly asOf?: readonly string[];
}

/** Rows read per query. */
const BATCH_ROWS = 50_000;

/** What {@link readTrainingSets} reads. */
export interface TrainingSetsOptions {
  /** Snapshot dates, oldest first: the last is the test, the one before the validation, the rest fit. */
  dates: readonly IsoDate[];
  horizonDays: number;
  /**
   * At most this many rows to fit on: when the older snapshots hold more, a fixed, uniform share
   * of them is kept (by a hash of debtor and date, so the same data gives the same sample; the
   * pay rate is unchanged, nothing is rebalanced).
   */
  maxFitRows: number;
  /**
   * At most about this many rows in each of the validation and test snapshots, sampled the same
   * way (by debtor and date). @defaultValue Infinity (whole)
   */
  maxHoldoutRows?: number;
  /** Rows read per query. @defaultValue 50000 */
  batchRows?: number;
}

/** The three sets, and how many fit rows the snapshots held before sampling. */
export interface TrainingSets {
  fit: LabelledMatrix;
  valid: LabelledMatrix;
  test: LabelledMatrix;
  featureNames: readonly string[];
  fitRowsAvailable: number;
  /** Rows of the validation and test snapshots before sampling. */
  holdoutRowsAvailable: { valid: number; test: number };
}

/** A matrix grown batch by batch. */
class MatrixBuilder {
  private chunks: Float64Array[] = [];
  private labels: Uint8Array[] = [];
  private ids: string[] = [];
  private dates: string[] = [];
  /** One string per distinct date: a million rows share a dozen dates. */
  private dateText = new Map<string, string>();
  rows = 0;

  constructor(readonly nCols: number) {}

  add(data: Float64Array, y: Uint8Array, debtorIds: readonly string[], asOf?: readonly string[]): void {
    for (const id of debtorIds) this.ids.push(id);
    if (asOf) {
      for (const d of asOf) {
        let shared = this.dateText.get(d);
        if (shared === undefined) this.dateText.set(d, (shared = d));
        this.dates.push(shared);
      }
    }
    this.chunks.push(data);
    this.labels.push(y);
    this.rows += y.length;
  }

  build(featureNames: readonly string[]): LabelledMatrix {
    const data = new Float64Array(this.rows * this.nCols);
    const y = new Uint8Array(this.rows);
    let at = 0;
    for (let k = 0; k < this.chunks.length; k++) {
      data.set(this.chunks[k]!, at * this.nCols);
      y.set(this.labels[k]!, at);
      at += this.labels[k]!.length;
    }
    this.chunks = [];
    this.labels = [];
    return { nRows: this.rows, nCols: this.nCols, data, featureNames, y, debtorIds: this.ids, ...(this.dates.length === this.rows ? { asOf: this.dates } : {}) };
  }
}

/** One batch of a snapshot as a model frame, with the label of each row (1: paid within the horizon). */
interface LabelledFrame {
  frame: ModelFrame;
  y: Uint8Array;
}

/**
 * Reads the snapshot of `asOf` with its labels one batch of rows at a time, by debtor id, keeping
 * the rows `keep` says (see {@link keptForFit}), each batch turned into a model frame.
 */
function labelledFrames(runner: Knex, asOf: IsoDate, horizonDays: number, batchRows: number, keep: number): AsyncGenerator<LabelledFrame> {
  return isInProcessPglite(runner) ? labelledFramesAsText(runner, asOf, horizonDays, batchRows, keep) : labelledFramesAsRows(runner, asOf, horizonDays, batchRows, keep);
}

/**
 * The next batch of the snapshot's rows after debtor `after`, only those a share `keep` keeps: the
 * database applies keptForFit's very test (features.kept_for_fit), so a capped training reads the
 * rows it keeps, not every row of every snapshot.
 */
function labelledQuery(runner: Knex, asOf: IsoDate, horizonDays: number, batchRows: number, after: string | null, keep: number): Knex.QueryBuilder {
  const query = runner('features.debtor_features as f')
    .leftJoin('features.labels as l', function on() {
      this.on('l.as_of', 'f.as_of').andOn('l.debtor_id', 'f.debtor_id').andOnVal('l.horizon_days', horizonDays);
    })
    .where('f.as_of', asOf);
  if (keep < 1) query.andWhereRaw('features.kept_for_fit(f.as_of, f.debtor_id, ?)', [keep]);
  if (after !== null) query.andWhere('f.debtor_id', '>', after);
  return query.orderBy('f.debtor_id').limit(batchRows);
}

/** On Postgres: the plain columns, which the pg driver reads fast. */
async function* labelledFramesAsRows(runner: Knex, asOf: IsoDate, horizonDays: number, batchRows: number, keep: number): AsyncGenerator<LabelledFrame> {
  let after: string | null = null;
  for (;;) {
    const rows = (await labelledQuery(runner, asOf, horizonDays, batchRows, after, keep).select('f.*', 'l.label')) as (FeatureRow & { label: boolean | null })[];
    if (rows.length === 0) return;
    yield { frame: toModelFrame(rows), y: Uint8Array.from(rows, (r) => (r.label ? 1 : 0)) };
    if (rows.length < batchRows) return;
    after = rows[rows.length - 1]!.debtor_id;
  }
}

/**
 * On PGlite in this process, which turns every value of a result into JS one at a time (a wide
 * result costs far more there than the query): a batch comes as two texts, its debtor ids as one
 * JSON array and its rows as lines of comma-separated values (the label, then the snapshot
 * features as Postgres writes them, empty when null), parsed here straight into columns.
 */
async function* labelledFramesAsText(runner: Knex, asOf: IsoDate, horizonDays: number, batchRows: number, keep: number): AsyncGenerator<LabelledFrame> {
  const values = ['l.label', ...SNAPSHOT_FEATURES.map((name) => `f.${name}`)];
  const line = runner.raw(`concat_ws(',', ${values.map(() => "coalesce(??::text, '')").join(', ')}) as line`, values);
  let after: string | null = null;
  for (;;) {
    const batch = labelledQuery(runner, asOf, horizonDays, batchRows, after, keep).select('f.debtor_id', line).as('b');
    const [texts] = (await runner
      .from(batch)
      .select(runner.raw('json_agg(b.debtor_id order by b.debtor_id)::text as ids'), runner.raw("string_agg(b.line, E'\\n' order by b.debtor_id) as lines"))) as { ids: string | null; lines: string | null }[];
    if (!texts?.ids || texts.lines === null) return;
    const ids = JSON.parse(texts.ids) as string[];
    const lines = texts.lines.split('\n');
    const columns: Record<string, Float64Array> = {};
    for (const name of SNAPSHOT_FEATURES) columns[name] = new Float64Array(ids.length);
    const y = new Uint8Array(ids.length);
    const targets = SNAPSHOT_FEATURES.map((name) => columns[name] as Float64Array);
    lines.forEach((text, k) => {
      const fields = text.split(',');
      y[k] = textValue(fields[0] as string) === 1 ? 1 : 0;
      for (let j = 0; j < targets.length; j++) (targets[j] as Float64Array)[k] = textValue(fields[j + 1] as string);
    });
    const dates = new Array<string>(ids.length).fill(asOf);
    yield { frame: modelFrameOfColumns(columns, ids, dates), y };
    if (ids.length < batchRows) return;
    after = ids[ids.length - 1] as string;
  }
}

/** A value as Postgres writes it as text: booleans 1 or 0, numbers as numbers, empty (null) and anything not finite NaN. */
function textValue(text: string): number {
  if (text === '') return NaN;
  const c = text.charCodeAt(0);
  if (c === 116 /* t */) return 1;
  if (c === 102 /* f */) return 0;
  const n = Number(text);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Whether a fit row is kept when a share `keep` of them is: a hash of debtor and date, not chance.
 * The reads ask the database, whose features.kept_for_fit (migration 770) computes the same.
 */
export function keptForFit(debtorId: string, asOf: string, keep: number): boolean {
  if (keep >= 1) return true;
  // FNV-1a alone spreads near-identical ids unevenly: murmur3's finaliser mixes its bits.
  let h = hashString(`${asOf}|${debtorId}`);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296 < keep;
}

/**
 * The model matrix of the snapshot of `asOf`, read in batches; when it holds more than `maxRows`
 * rows, a fixed uniform sample of about that many (see {@link keptForFit}).
 */
export async function readSnapshotSample(
  runner: Knex,
  asOf: IsoDate,
  options: { maxRows: number; horizonDays?: number; batchRows?: number },
): Promise<LabelledMatrix & { rowsAvailable: number }> {
  const counts = (await runner('features.debtor_features').where('as_of', asOf).count<{ n: string | number }[]>('* as n'))[0];
  const rowsAvailable = Number(counts?.n ?? 0);
  const keep = rowsAvailable > options.maxRows ? options.maxRows / rowsAvailable : 1;
  let builder: MatrixBuilder | undefined;
  let featureNames: readonly string[] = [];
  for await (const { frame, y } of labelledFrames(runner, asOf, options.horizonDays ?? 30, options.batchRows ?? BATCH_ROWS, keep)) {
    featureNames = frame.featureNames;
    builder ??= new MatrixBuilder(frame.nCols);
    builder.add(frame.data, y, frame.debtorIds);
  }
  return { ...(builder ?? new MatrixBuilder(0)).build(featureNames), rowsAvailable };
}

/** Reads the fit, validation and test sets of a training over `dates`. */
export async function readTrainingSets(runner: Knex, options: TrainingSetsOptions): Promise<TrainingSets> {
  const { dates } = options;
  const testDate = dates[dates.length - 1] as IsoDate;
  const validDate = dates[dates.length - 2] as IsoDate;
  const fitDates = dates.slice(0, -2);
  const counts = (await runner('features.debtor_features').whereIn('as_of', [...dates]).groupBy('as_of').select(runner.raw('as_of::text as as_of'), runner.raw('count(*) as n'))) as { as_of: string; n: string | number }[];
  const rowsOf = new Map(counts.map((c) => [c.as_of, Number(c.n)]));
  const fitRowsAvailable = fitDates.reduce((sum, d) => sum + (rowsOf.get(d) ?? 0), 0);
  const holdoutRowsAvailable = { valid: rowsOf.get(validDate) ?? 0, test: rowsOf.get(testDate) ?? 0 };
  const share = (available: number, max: number) => (available > max ? max / available : 1);
  const keepFit = share(fitRowsAvailable, options.maxFitRows);
  const keepValid = share(holdoutRowsAvailable.valid, options.maxHoldoutRows ?? Infinity);
  const keepTest = share(holdoutRowsAvailable.test, options.maxHoldoutRows ?? Infinity);
  let featureNames: readonly string[] = [];
  let builders: { fit: MatrixBuilder; valid: MatrixBuilder; test: MatrixBuilder } | undefined;
  for (const asOf of dates) {
    const keep = asOf === testDate ? keepTest : asOf === validDate ? keepValid : keepFit;
    for await (const { frame, y } of labelledFrames(runner, asOf, options.horizonDays, options.batchRows ?? BATCH_ROWS, keep)) {
      featureNames = frame.featureNames;
      builders ??= { fit: new MatrixBuilder(frame.nCols), valid: new MatrixBuilder(frame.nCols), test: new MatrixBuilder(frame.nCols) };
      const target = asOf === testDate ? builders.test : asOf === validDate ? builders.valid : builders.fit;
      target.add(frame.data, y, frame.debtorIds, frame.asOf);
    }
  }
  const nCols = builders?.fit.nCols ?? 0;
  const b = builders ?? { fit: new MatrixBuilder(nCols), valid: new MatrixBuilder(nCols), test: new MatrixBuilder(nCols) };
  return { fit: b.fit.build(featureNames), valid: b.valid.build(featureNames), test: b.test.build(featureNames), featureNames, fitRowsAvailable, holdoutRowsAvailable };
}
