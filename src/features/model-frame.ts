import * as aq from 'arquero';
import { MissingFeatureError } from '../core/errors';
import { DERIVED_FEATURES, MODEL_FEATURES, SNAPSHOT_FEATURES, type FeatureRow } from './feature-columns';
import type { DerivedFeatureName } from './feature-registry';

/** Feature rows turned into a model matrix, with the ids of its rows. */
export interface ModelFrame {
  readonly nRows: number;
  readonly nCols: number;
  /** Row-major values, NaN where missing (the layout of the model's FeatureMatrix). */
  readonly data: Float64Array;
  readonly featureNames: readonly string[];
  readonly debtorIds: readonly string[];
  readonly asOf: readonly string[];
}

/**
 * How each derived feature of the registry is computed from snapshot columns (Arquero
 * expressions: each function is self-contained, Arquero reads its source). Typed by the
 * registry's derived names, so a derived feature without its formula does not compile.
 */
const DERIVATIONS: Record<DerivedFeatureName, (d: Record<string, number>) => number> = {
  paid_365d_to_balance: (d: Record<string, number>) => (d.balance! > 0 ? d.amount_paid_365d! / d.balance! : NaN),
  open_promise_to_balance: (d: Record<string, number>) => (d.balance! > 0 ? d.open_promise_amount! / d.balance! : NaN),
  contacts_per_case_90d: (d: Record<string, number>) => (d.n_cases! > 0 ? d.n_contacts_90d! / d.n_cases! : NaN),
};

/** Numbers, booleans and numeric strings become numbers; null and anything else becomes NaN. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

/**
 * Builds the model matrix from snapshot rows: casts every snapshot column to a number (NaN when
 * missing) and derives ratio features with Arquero. Pure: the rows are not modified.
 */
export function toModelFrame(rows: readonly FeatureRow[]): ModelFrame {
  const columns: Record<string, Float64Array> = {};
  for (const name of SNAPSHOT_FEATURES) columns[name] = Float64Array.from(rows, (r) => toNumber(r[name]));
  return modelFrameOfColumns(
    columns,
    rows.map((r) => r.debtor_id),
    rows.map((r) => String(r.as_of)),
  );
}

/**
 * Builds the model matrix from snapshot columns already read as numbers (one array per
 * {@link SNAPSHOT_FEATURES} name, NaN where missing) and derives the ratio features with Arquero,
 * as {@link toModelFrame} does from rows. Pure: the columns are not modified.
 */
export function modelFrameOfColumns(columns: Readonly<Record<string, Float64Array>>, debtorIds: readonly string[], asOf: readonly string[]): ModelFrame {
  const derived = aq.table({ ...columns }).derive(DERIVATIONS);
  const nRows = debtorIds.length;
  const nCols = MODEL_FEATURES.length;
  const data = new Float64Array(nRows * nCols);
  MODEL_FEATURES.forEach((name, j) => {
    const values = derived.array(name) as ArrayLike<number>;
    for (let i = 0; i < nRows; i++) {
      const v = values[i] as number | null | undefined;
      data[i * nCols + j] = v === null || v === undefined || !Number.isFinite(v) ? NaN : v;
    }
  });
  return { nRows, nCols, data, featureNames: MODEL_FEATURES, debtorIds, asOf };
}

/**
 * The frame's columns rearranged into `featureNames` (a model's stored feature list), matched by
 * name: the model reads each feature where the frame has it, whatever the frame's column order.
 * Throws {@link MissingFeatureError} naming every feature the frame lacks.
 */
export function selectFeatures<F extends Pick<ModelFrame, 'nRows' | 'nCols' | 'data' | 'featureNames'>>(frame: F, featureNames: readonly string[]): F {
  const columnOf = new Map(frame.featureNames.map((name, j) => [name, j]));
  const missing = featureNames.filter((name) => !columnOf.has(name));
  if (missing.length > 0) {
    throw new MissingFeatureError(missing, `the model needs ${missing.length === 1 ? 'feature' : 'features'} ${missing.join(', ')}, absent from the feature frame: retrain the model or restore the ${missing.length === 1 ? 'column' : 'columns'}`, { context: { field: missing[0] as string } });
  }
  const source = featureNames.map((name) => columnOf.get(name) as number);
  if (source.length === frame.nCols && source.every((j, k) => j === k)) return frame;
  const nCols = source.length;
  const data = new Float64Array(frame.nRows * nCols);
  for (let i = 0; i < frame.nRows; i++) {
    const from = i * frame.nCols;
    const to = i * nCols;
    for (let k = 0; k < nCols; k++) data[to + k] = frame.data[from + (source[k] as number)] as number;
  }
  return { ...frame, nCols, data, featureNames: [...featureNames] };
}

export { DERIVED_FEATURES };
