import { storedCalibration } from '../model/calibrated-model';
import type { SerializedModel } from '../model/classifier';
import type { HoldoutMetrics } from '../model/registry';
import { formatTable } from './format-table';

interface Bin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

function isBin(v: unknown): v is Bin {
  const b = v as Record<string, unknown> | null;
  return !!b && ['lo', 'hi', 'count', 'meanPredicted', 'observedRate'].every((k) => typeof b[k] === 'number');
}

/** The calibration stored with a model, in words (`platt (slope 0.93, intercept -0.12)`). */
export function calibrationOf(model: SerializedModel): string {
  const c = storedCalibration(model);
  if (c.kind === 'platt') return `platt (slope ${c.slope.toFixed(3)}, intercept ${c.intercept.toFixed(3)})`;
  if (c.kind === 'isotonic') return `isotonic (${c.values.length} steps)`;
  return 'none';
}

/**
 * The reliability curve of a version's holdout (mean predicted vs observed rate per bin, with its
 * row count) and its expected calibration error, as lines for `relance models show`.
 */
export function reliabilityLines(metrics: HoldoutMetrics): string[] {
  const bins = Array.isArray(metrics.reliability) ? metrics.reliability.filter(isBin) : [];
  if (bins.length === 0) return ['reliability: not measured for this version'];
  const ece = typeof metrics.ece === 'number' ? metrics.ece.toFixed(4) : '-';
  const table = formatTable(bins, [
    { header: 'P(pay) bin', value: (b) => `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}` },
    { header: 'mean predicted', value: (b) => b.meanPredicted.toFixed(3), align: 'right' },
    { header: 'observed', value: (b) => b.observedRate.toFixed(3), align: 'right' },
    { header: 'rows', value: (b) => String(b.count), align: 'right' },
  ]);
  return [`reliability on the holdout (expected calibration error ${ece}):`, ...table.split('\n').map((l) => `  ${l}`)];
}
