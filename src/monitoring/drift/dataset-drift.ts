/**
 * Dataset drift, as evidently's `get_dataset_drift`: the share of drifted columns against a
 * drift share (0.5 by default), inclusive.
 */

/** Default share of drifted columns at which the whole dataset counts as drifted. */
export const DEFAULT_DRIFT_SHARE = 0.5;

/** The dataset-level verdict. */
export interface DatasetDrift {
  readonly nColumns: number;
  readonly nDrifted: number;
  /** nDrifted / nColumns (0 without columns). */
  readonly share: number;
  readonly driftShare: number;
  /** share ≥ driftShare, with at least one column. */
  readonly datasetDrift: boolean;
}

/** Dataset drift from per-column drift flags. @defaultValue driftShare 0.5 */
export function datasetDrift(columnDrifts: readonly boolean[], driftShare: number = DEFAULT_DRIFT_SHARE): DatasetDrift {
  if (!(driftShare >= 0 && driftShare <= 1)) throw new RangeError(`driftShare must lie in [0, 1], got ${driftShare}`);
  const nColumns = columnDrifts.length;
  const nDrifted = columnDrifts.filter(Boolean).length;
  const share = nColumns === 0 ? 0 : nDrifted / nColumns;
  return { nColumns, nDrifted, share, driftShare, datasetDrift: nColumns > 0 && share >= driftShare };
}
