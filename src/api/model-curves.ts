/**
 * Finds the evaluation curves in a training run's artefacts by their shape rather than by their
 * key, so that the model page reads whatever the training stored: ROC points (fpr, tpr),
 * reliability bins (meanPredicted, observedRate), lift rows (group, lift, capturedPositives) and
 * cost points (threshold, cost). Cost points also give a ROC when none is stored.
 */

/** The curves the model page draws; each may be empty. */
export interface ModelCurves {
  roc: { fpr: number; tpr: number }[];
  calibration: { meanPredicted: number; observedRate: number; count: number }[];
  lift: { group: number; lift: number; capturedPositives: number; cumulativeLift: number | null }[];
  cost: { threshold: number; cost: number }[];
}

type Row = Record<string, unknown>;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function arraysIn(value: unknown, depth = 0, out: Row[][] = []): Row[][] {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) out.push(value as Row[]);
    return out;
  }
  for (const child of Object.values(value)) arraysIn(child, depth + 1, out);
  return out;
}

/** At most `max` points, evenly spaced, keeping the first and last (charts need no more). */
function thin<T>(points: T[], max = 400): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

/** The curves of `artefacts` (one model kind's, or a whole training run's when `kind` is absent there). */
export function modelCurves(artefacts: unknown, kind?: string): ModelCurves {
  const scoped = kind && artefacts && typeof artefacts === 'object' && kind in artefacts ? (artefacts as Row)[kind] : artefacts;
  const curves: ModelCurves = { roc: [], calibration: [], lift: [], cost: [] };
  for (const rows of arraysIn(scoped)) {
    const first = rows[0] as Row;
    if (!curves.calibration.length && isNum(first.meanPredicted) && isNum(first.observedRate)) {
      curves.calibration = rows.map((r) => ({ meanPredicted: Number(r.meanPredicted), observedRate: Number(r.observedRate), count: Number(r.count ?? 0) }));
    } else if (!curves.lift.length && isNum(first.group) && isNum(first.lift)) {
      curves.lift = rows.map((r) => ({ group: Number(r.group), lift: Number(r.lift), capturedPositives: Number(r.capturedPositives ?? 0), cumulativeLift: isNum(r.cumulativeLift) ? r.cumulativeLift : null }));
    } else if (!curves.cost.length && 'threshold' in first && isNum(first.cost)) {
      curves.cost = thin(rows.filter((r) => isNum(r.threshold) && isNum(r.cost)).map((r) => ({ threshold: Number(r.threshold), cost: Number(r.cost) })));
      if (!curves.roc.length && isNum(first.fpr) && isNum(first.tpr)) curves.roc = thin(rows.map((r) => ({ fpr: Number(r.fpr), tpr: Number(r.tpr) })));
    } else if (!curves.roc.length && isNum(first.fpr) && isNum(first.tpr)) {
      curves.roc = thin(rows.map((r) => ({ fpr: Number(r.fpr), tpr: Number(r.tpr) })));
    }
  }
  return curves;
}
