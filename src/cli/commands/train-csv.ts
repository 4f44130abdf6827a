import { Command, InvalidArgumentError } from 'commander';
import { ValidationError } from '../../core/errors';
import { formatReport, TABULAR_MODELS, trainOnCsv, type TabularModelName } from '../../model/tabular-train';

/** Flags of `relance train --csv`. */
export interface TrainCsvFlags {
  csv: string;
  target: string;
  positive?: string;
  id?: string;
  drop?: string[];
  folds?: string;
  timeColumn?: string;
  k?: number;
  seed?: number;
  models?: string[];
  forceMlLogistic?: boolean;
  calibration?: string;
  json?: boolean;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${flag} must be a positive integer`);
    return Number(value);
  };
}

/**
 * Runs the CSV training and prints the metrics table (or the report as JSON). Exported so that a
 * `train` command handling several forms can delegate its `--csv` form here.
 */
export async function runCsvTraining(flags: TrainCsvFlags, print: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<void> {
  if (!flags.csv) throw new ValidationError('--csv FILE is required', { context: { field: 'csv' } });
  if (!flags.target) throw new ValidationError('--target COL is required', { context: { field: 'target' } });
  const models = flags.models?.flatMap((m) => m.split(',')).filter(Boolean);
  for (const m of models ?? []) {
    if (!TABULAR_MODELS.includes(m as TabularModelName)) throw new ValidationError(`--models: unknown model ${m} (expected ${TABULAR_MODELS.join(', ')})`, { context: { field: 'models' } });
  }
  const calibration = flags.calibration ?? 'none';
  if (calibration !== 'none' && calibration !== 'platt' && calibration !== 'isotonic') {
    throw new ValidationError(`--calibration must be none, platt or isotonic (got ${calibration})`, { context: { field: 'calibration' } });
  }
  const report = await trainOnCsv({
    calibration,
    csv: flags.csv,
    target: flags.target,
    ...(flags.positive !== undefined ? { positive: flags.positive } : {}),
    ...(flags.id !== undefined ? { id: flags.id } : {}),
    drop: flags.drop ?? [],
    ...(flags.folds !== undefined ? { folds: flags.folds } : {}),
    ...(flags.timeColumn !== undefined ? { timeColumn: flags.timeColumn } : {}),
    ...(flags.k !== undefined ? { k: flags.k } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(models ? { models: models as TabularModelName[] } : {}),
    forceMlLogistic: flags.forceMlLogistic ?? false,
    log: flags.json ? undefined : (line) => process.stderr.write(line + '\n'),
  });
  print(flags.json ? JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) : formatReport(report));
}

/**
 * `relance train --csv FILE --target COL [--id COL] [--drop COL…] [--folds FILE] [--json]`:
 * cross-validates the logistic and GBDT models on any CSV with a two-valued target and prints AUC,
 * PR-AUC, log-loss, business cost (fixed and chosen threshold), fit time and prediction speed.
 */
export function trainCsvCommand(print?: (line: string) => void, withoutCsv?: (flags: { asOf?: string; json?: boolean }) => Promise<void>): Command {
  const command = new Command('train')
    .description(withoutCsv ? 'train on the office history, or cross-validate every model on any CSV with --csv' : 'cross-validate every model on a CSV with a two-valued target and print a metrics table');
  if (withoutCsv) command.option('--as-of <YYYY-MM-DD>', 'office: end of the history to learn from (default: the latest event)');
  return command
    .option('--csv <file>', 'CSV file with a header line (empty or NA = missing)')
    .option('--target <column>', 'target column with two values (0/1, yes/no, Y/N, true/false, oui/non), required with --csv')
    .option('--positive <value>', 'the target value counted as positive, when the two values are not a usual pair')
    .option('--id <column>', 'id column, excluded from features (default: an unnamed first column)')
    .option('--drop <columns...>', 'columns excluded from features')
    .option('--folds <file>', 'folds file: row_index,fold (row_index = 0-based data row)')
    .option('--time-column <column>', 'time holdout: test on the newest value of this snapshot/date column, train on older ones')
    .option('--k <n>', 'stratified folds when no folds file is given (default 5)', positiveInteger('--k'))
    .option('--seed <n>', 'seed of folds and models (default 42)', positiveInteger('--seed'))
    .option('--models <names...>', `models to run: ${TABULAR_MODELS.join(', ')} (default all)`)
    .option('--force-ml-logistic', 'run ml-logistic-regression above 20,000 rows (slow)')
    .option('--calibration <method>', 'none, platt or isotonic, fitted inside the training folds (default none)')
    .option('--json', 'print the full report as JSON')
    .action((flags: TrainCsvFlags & { asOf?: string }) => {
      if (flags.csv === undefined && withoutCsv) return withoutCsv(flags);
      if (flags.csv === undefined || flags.target === undefined) throw new ValidationError('--csv <file> and --target <column> are both required', { context: { field: flags.csv === undefined ? 'csv' : 'target' } });
      return runCsvTraining(flags, print);
    });
}
