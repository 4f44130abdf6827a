/**
 * Train and cross-validate every relance model on any CSV with a binary target, and report a
 * metrics table: the quickest way to see how the models do on an office's own export or a public
 * credit data set.
 */
import type { Classifier, Dataset } from './classifier';
import type { CalibrationMethod } from './calibration';
import { crossValidate, type FoldResult, type Summary } from './cross-validation';
import { getColumn, readCsvTable, readFoldsFile, type CsvTable } from './csv-table';
import { stratifiedFolds, timeHoldoutSplit } from './folds';
import { GbdtClassifier, type GbdtOptions } from './gbdt';
import { LogisticClassifier } from './logistic';
import { checkCosts, DEFAULT_COSTS, type CostModel } from './metrics';

/** Model names {@link trainOnCsv} knows. */
export type TabularModelName = 'logistic' | 'logistic-ml' | 'gbdt';
/** Every model name, in report order. */
export const TABULAR_MODELS: readonly TabularModelName[] = ['logistic', 'logistic-ml', 'gbdt'];

/** Options of {@link trainOnCsv}. */
export interface TrainOnCsvOptions {
  /** Path of the CSV file (header line; empty or `NA` is missing). */
  readonly csv: string;
  /** Target column: two values (0/1, yes/no, Y/N, true/false, oui/non, or any two with `positive`). */
  readonly target: string;
  /** The target value counted as positive (1) when it is not one of the usual pairs. */
  readonly positive?: string;
  /** Id column, excluded from features. @defaultValue the first column when its header is empty */
  readonly id?: string;
  /** Columns excluded from features. @defaultValue [] */
  readonly drop?: readonly string[];
  /** Folds file (`row_index,fold`, row_index the 0-based data row); else stratified folds. */
  readonly folds?: string;
  /**
   * Snapshot/date column for a time holdout instead of folds: train on every older value, test on
   * the newest (numbers, or ISO dates, which sort as text); excluded from features.
   */
  readonly timeColumn?: string;
  /** Number of stratified folds when no folds file is given. @defaultValue 5 */
  readonly k?: number;
  /** Seed of folds, inner folds and models. @defaultValue 42 */
  readonly seed?: number;
  /** Error costs. @defaultValue missed positive 10, false alarm 1 */
  readonly costs?: CostModel;
  /** Models to run. @defaultValue ['logistic', 'logistic-ml', 'gbdt'] */
  readonly models?: readonly TabularModelName[];
  /** Run `logistic-ml` (ml-logistic-regression, slow) above `mlLogisticMaxRows` rows. @defaultValue false */
  readonly forceMlLogistic?: boolean;
  /** Above this many rows `logistic-ml` is skipped unless forced. @defaultValue 20000 */
  readonly mlLogisticMaxRows?: number;
  /** GBDT hyper-parameters. @defaultValue {} (the GBDT defaults) */
  readonly gbdt?: GbdtOptions;
  /** Calibration fitted inside the training folds. @defaultValue 'none' */
  readonly calibration?: CalibrationMethod;
  /** Inner folds choosing the cost-optimal threshold. @defaultValue 3 */
  readonly innerFolds?: number;
  /** Progress lines (one per model). @defaultValue none */
  readonly log?: (line: string) => void;
}

/** Cross-validated metrics of one model. */
export interface ModelReport {
  readonly model: TabularModelName;
  readonly description: string;
  readonly auc: Summary;
  readonly averagePrecision: Summary;
  readonly logLoss: Summary;
  /** Cost per row at the Bayes threshold c_FP / (c_FP + c_FN). */
  readonly fixedCost: Summary;
  /** Cost per row at the threshold chosen on training out-of-fold predictions. */
  readonly thresholdCost: Summary;
  readonly threshold: Summary;
  readonly fitSeconds: Summary;
  readonly predictRowsPerSecond: Summary;
  readonly folds: readonly FoldResult[];
}

/** The result of {@link trainOnCsv}. */
export interface TrainReport {
  readonly csv: string;
  readonly target: string;
  readonly nRows: number;
  readonly positives: number;
  readonly featureNames: readonly string[];
  readonly categorical: readonly string[];
  readonly nFolds: number;
  readonly foldSource: 'file' | 'stratified' | 'time-holdout';
  readonly costs: CostModel;
  readonly models: readonly ModelReport[];
  readonly skipped: readonly { readonly model: TabularModelName; readonly reason: string }[];
}

/** Values read as the positive class when the target's two values are one of these pairs (any case). */
const POSITIVE_WORDS = ['1', 'yes', 'y', 'true', 't', 'oui', 'o', 'vrai'];
const NEGATIVE_WORDS = ['0', 'no', 'n', 'false', 'f', 'non', 'faux'];

/**
 * The 0/1 labels of a two-valued target column as users have it: 0/1, yes/no, Y/N, true/false,
 * oui/non (any case), or any two values with `positive` naming the one counted as 1. Errors name
 * the file, the column, the line and the value.
 */
export function binaryTarget(column: CsvTable['columns'][number], options: { file: string; positive?: string }): Uint8Array {
  const nRows = column.values.length;
  const text = (i: number): string | undefined => {
    const v = column.values[i] as number;
    if (Number.isNaN(v)) return undefined;
    return column.kind === 'categorical' ? (column.levels[v] as string) : String(v);
  };
  const distinct = new Set<string>();
  for (let i = 0; i < nRows; i++) {
    const t = text(i);
    // header on line 1: data row i is line i + 2
    if (t === undefined) throw new RangeError(`${options.file}: line ${i + 2}: target ${column.name} is missing`);
    distinct.add(t);
  }
  const values = [...distinct];
  let positive = options.positive;
  if (positive !== undefined) {
    if (!distinct.has(positive)) throw new RangeError(`${options.file}: --positive ${positive} is not a value of target ${column.name} (values: ${values.sort().join(', ')})`);
  } else if (values.length <= 2) {
    // a usual pair: one value reads as yes, the other (if any) as no
    const isPositive = values.map((v) => POSITIVE_WORDS.includes(v.trim().toLowerCase()));
    const isNegative = values.map((v) => NEGATIVE_WORDS.includes(v.trim().toLowerCase()));
    if (isPositive.filter(Boolean).length === 1 && values.every((_, k) => isPositive[k] || isNegative[k])) positive = values[isPositive.indexOf(true)];
  }
  if (values.length > 2) {
    throw new RangeError(`${options.file}: target ${column.name} must have two values; it has ${values.length} (${values.sort().slice(0, 5).join(', ')}${values.length > 5 ? ', …' : ''})`);
  }
  if (positive === undefined) {
    throw new RangeError(`${options.file}: target ${column.name} has values ${values.sort().join(' and ')}: say which one is positive with --positive`);
  }
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) y[i] = text(i) === positive ? 1 : 0;
  return y;
}

/** Builds the labelled dataset from a parsed table; errors name the column and row. */
export function datasetFromTable(table: CsvTable, target: string, exclude: readonly string[], file = '<csv>', positive?: string): Dataset {
  const targetColumn = getColumn(table, target, file);
  for (const name of exclude) getColumn(table, name, file);
  const y = binaryTarget(targetColumn, { file, positive });
  const features = table.columns.filter((c) => c.name !== target && !exclude.includes(c.name));
  if (features.length === 0) throw new RangeError(`${file}: no feature column left after excluding the target, id and dropped columns`);
  const p = features.length;
  const data = new Float64Array(table.nRows * p);
  features.forEach((c, j) => c.values.forEach((v, i) => { data[i * p + j] = v; }));
  const categorical = features.flatMap((c, j) => (c.kind === 'categorical' ? [j] : []));
  return { nRows: table.nRows, nCols: p, data, y, featureNames: features.map((c) => c.name), categorical };
}

function classifierFor(model: TabularModelName, options: Pick<TrainOnCsvOptions, 'gbdt'>): { classifier: Classifier; description: string } {
  switch (model) {
    case 'logistic':
      return { classifier: new LogisticClassifier(), description: 'logistic IRLS, clip 0.5–99.5 % + missing indicators' };
    case 'logistic-ml':
      return { classifier: new LogisticClassifier({ solver: 'gradient-descent' }), description: 'logistic ml-logistic-regression, same preprocessing' };
    case 'gbdt':
      return { classifier: new GbdtClassifier(options.gbdt), description: 'GBDT, early stop on 10 % of training rows' };
    default:
      throw new RangeError(`models: unknown model ${String(model)} (expected ${TABULAR_MODELS.join(', ')})`);
  }
}

/** Reads the CSV, cross-validates each model, and returns the metrics table. */
export async function trainOnCsv(options: TrainOnCsvOptions): Promise<TrainReport> {
  if (!options.csv) throw new RangeError('csv: a CSV file path is required');
  if (!options.target) throw new RangeError('target: a target column is required');
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  const seed = options.seed ?? 42;
  const costs = checkCosts(options.costs ?? DEFAULT_COSTS);
  const models = options.models ?? TABULAR_MODELS;
  for (const m of models) classifierFor(m, {});
  const mlMax = options.mlLogisticMaxRows ?? 20000;
  if (options.folds && options.timeColumn) throw new RangeError('folds and timeColumn exclude each other: give one');
  const log = options.log ?? (() => undefined);

  const table = readCsvTable(options.csv);
  const firstUnnamed = table.columns[0]?.name === 'column_0' ? 'column_0' : undefined;
  const id = options.id ?? firstUnnamed;
  const exclude = [...(id ? [id] : []), ...(options.drop ?? []), ...(options.timeColumn ? [options.timeColumn] : [])];
  const ds = datasetFromTable(table, options.target, exclude, options.csv, options.positive);
  const folds = options.timeColumn
    ? [timeHoldoutSplit(getColumn(table, options.timeColumn, options.csv).values)]
    : options.folds ? readFoldsFile(options.folds, ds.nRows, ds.y) : stratifiedFolds(ds.y, k, seed);
  const reports: ModelReport[] = [];
  const skipped: { model: TabularModelName; reason: string }[] = [];
  for (const model of models) {
    if (model === 'logistic-ml' && ds.nRows > mlMax && !options.forceMlLogistic) {
      skipped.push({ model, reason: `${ds.nRows} rows > ${mlMax}: ml-logistic-regression is slow (force to run it)` });
      continue;
    }
    const { classifier, description } = classifierFor(model, options);
    const result = await crossValidate(classifier, ds, folds, {
      costs, seed, calibration: options.calibration ?? 'none', innerFolds: options.innerFolds ?? 3, threshold: 'cost-optimal',
      validationFraction: model === 'gbdt' ? 0.1 : 0,
    });
    const s = result.summary;
    reports.push({
      model, description, auc: s.auc, averagePrecision: s.averagePrecision, logLoss: s.logLoss, fixedCost: s.fixedCost,
      thresholdCost: s.thresholdCost, threshold: s.threshold, fitSeconds: s.fitSeconds, predictRowsPerSecond: s.predictRowsPerSecond, folds: result.folds,
    });
    log(`${model}: AUC ${s.auc.mean.toFixed(4)} ± ${s.auc.std.toFixed(4)}`);
  }
  const positives = ds.y.reduce((a, b) => a + b, 0);
  return {
    csv: options.csv, target: options.target, nRows: ds.nRows, positives, featureNames: ds.featureNames,
    categorical: (ds.categorical ?? []).map((j) => ds.featureNames[j] as string),
    nFolds: Array.isArray(folds) ? folds.length : new Set(folds as Int32Array).size,
    foldSource: options.timeColumn ? 'time-holdout' : options.folds ? 'file' : 'stratified', costs, models: reports, skipped,
  };
}

/** The report as a readable table: one line per model, means ± std over the folds. */
export function formatReport(report: TrainReport): string {
  const pct = ((100 * report.positives) / Math.max(1, report.nRows)).toFixed(2);
  const { falseNegativeCost: fn, falsePositiveCost: fp } = report.costs;
  const head = [
    `${report.csv}: ${report.nRows} rows, target ${report.target} (${report.positives} positives, ${pct} %), ${report.featureNames.length} features` +
      (report.categorical.length ? ` (categorical: ${report.categorical.join(', ')})` : ''),
    `${report.nFolds} folds (${report.foldSource}); costs: missed positive ${fn}, false alarm ${fp}; fixed threshold ${(fp / (fp + fn)).toFixed(4)}`,
    '',
  ];
  const f = (s: Summary, d = 4) => s.mean.toFixed(d);
  const rows = report.models.map((m) => [
    m.model, `${f(m.auc)} ± ${m.auc.std.toFixed(4)}`, f(m.averagePrecision), f(m.logLoss), f(m.fixedCost),
    f(m.thresholdCost), f(m.threshold), f(m.fitSeconds, 2), formatRate(m.predictRowsPerSecond.mean),
  ]);
  const header = ['model', 'AUC mean ± std', 'PR-AUC', 'log-loss', 'cost @fixed', 'cost @chosen', 'chosen thr', 'fit s/fold', 'predict rows/s'];
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] as string).length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number))).join('  ');
  const lines = [...head, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const m of report.models) lines.push(`  ${m.model}: ${m.description}`);
  for (const s of report.skipped) lines.push(`  ${s.model} skipped: ${s.reason}`);
  return lines.join('\n');
}

function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}
