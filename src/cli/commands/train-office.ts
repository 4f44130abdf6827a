import type { Command } from 'commander';
import { isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import { trainOnOffice, type OfficeTrainingReport } from '../../pipeline/train-office';
import { trainUpliftOnOffice } from '../../pipeline/train-uplift';
import { formatTable } from '../format-table';
import { withResources, type CliEnv } from '../cli-env';

/** Prints an office training report for a person. */
export function printTrainingReport(env: CliEnv, report: OfficeTrainingReport): void {
  env.print(`training ${report.trainingRunId}: ${report.rows} rows over ${report.snapshotDates.length} monthly snapshots (${report.snapshotDates[0]} … ${report.snapshotDates.at(-1)}), ${(report.positiveRate * 100).toFixed(1)} % paid within the horizon`);
  env.print(
    formatTable(report.results, [
      { header: 'model', value: (r) => r.kind },
      { header: 'version', value: (r) => r.versionId },
      { header: 'AUC', value: (r) => r.metrics.auc.toFixed(4), align: 'right' },
      { header: 'PR-AUC', value: (r) => r.metrics.prAuc.toFixed(4), align: 'right' },
      { header: 'cost/row', value: (r) => r.metrics.cost.toFixed(4), align: 'right' },
      { header: 'threshold', value: (r) => r.threshold.toFixed(3), align: 'right' },
      { header: 'ECE', value: (r) => r.metrics.ece.toFixed(4), align: 'right' },
      { header: 'calibration', value: (r) => r.calibration },
      { header: 'fit s', value: (r) => r.fitSeconds.toFixed(1), align: 'right' },
    ]),
  );
  const c = report.comparison;
  if (c) env.print(`champion ${c.championVersionId} on the same holdout: AUC ${c.champion.auc.toFixed(4)}, cost/row ${c.champion.cost.toFixed(4)}`);
  env.print(`(test: snapshot ${report.snapshotDates.at(-1)}, ${report.results[0]?.metrics.rows ?? 0} debtors) ${report.decision.promoted ? 'champion: ' : ''}${report.decision.reason}`);
}

/**
 * Adds the office form of `relance train` (no --csv): trains on the loaded history. The `--csv`
 * form, for any table, is handled by the CSV training command mounted beside it.
 */
export function runOfficeTraining(env: CliEnv, opts: { asOf?: string; json?: boolean }): Promise<void> {
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) throw new ValidationError(`--as-of must be a date YYYY-MM-DD (got ${opts.asOf})`, { context: { field: 'as-of' } });
  return withResources(env, async (resources) => {
    const { sets, ...report } = await trainOnOffice(resources, { asOf: opts.asOf, trigger: 'cli', keepSets: true });
    // As the retrain does: the uplift model next, from the same snapshots.
    const uplift = await trainUpliftOnOffice(resources, { ...(opts.asOf ? { asOf: opts.asOf } : {}), trigger: 'cli', ...(sets ? { sets } : {}) }).catch((error: unknown) => ({ error: (error as Error).message }));
    if (opts.json) return env.print(JSON.stringify({ ...report, uplift }, null, 2));
    printTrainingReport(env, report);
    env.print('error' in uplift ? `uplift model not trained: ${uplift.error}` : `uplift model ${uplift.versionId}: judged on ${uplift.evaluationAsOf}, observed Qini ${uplift.qini.toFixed(4)} (relance models uplift ${uplift.versionId})`);
  });
}

export type { Command };
