import { Command } from 'commander';
import { runCsvTraining, type TrainCsvFlags } from './train-csv';
import { runOfficeTraining } from './train-office';
import type { CliEnv } from '../cli-env';

const integer = (flag: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer (got ${value})`);
  return n;
};

/**
 * `relance train`: without `--csv`, trains on the office's loaded history and registers the best
 * model; with `--csv FILE --target COL`, cross-validates the models on any table and prints the
 * metrics (nothing is registered).
 */
export function trainCommand(env: CliEnv): Command {
  return new Command('train')
    .description('train on the office history, or cross-validate on any CSV with --csv')
    .option('--as-of <YYYY-MM-DD>', 'office: end of the history to learn from (default: the latest event)')
    .option('--csv <file>', 'any CSV with a header line (empty or NA = missing)')
    .option('--target <column>', 'with --csv: the 0/1 target column')
    .option('--id <column>', 'with --csv: id column, excluded from features')
    .option('--drop <columns...>', 'with --csv: columns excluded from features')
    .option('--folds <file>', 'with --csv: folds file row_index,fold')
    .option('--k <n>', 'with --csv: stratified folds when no folds file is given (default 5)', integer('--k'))
    .option('--seed <n>', 'with --csv: seed of folds and models (default 42)', integer('--seed'))
    .option('--models <names...>', 'with --csv: models to run (default all)')
    .option('--force-ml-logistic', 'with --csv: run ml-logistic-regression above 20,000 rows (slow)')
    .option('--json', 'machine-readable output')
    .action(async (opts: Partial<TrainCsvFlags> & { asOf?: string; json?: boolean }) => {
      if (opts.csv === undefined) return runOfficeTraining(env, { asOf: opts.asOf, json: opts.json });
      if (!opts.target) throw new Error('--csv needs --target <column>');
      return runCsvTraining(opts as TrainCsvFlags, env.print);
    });
}
