import type { Command } from 'commander';
import { trainCsvCommand } from './train-csv';
import { runOfficeTraining } from './train-office';
import type { CliEnv } from '../cli-env';

/**
 * `relance train`: without `--csv`, trains on the office's loaded history and registers the best
 * model; with `--csv FILE --target COL`, cross-validates the models on any table and prints the
 * metrics (nothing is registered).
 */
export function trainCommand(env: CliEnv): Command {
  return trainCsvCommand(env.print, (flags) => runOfficeTraining(env, flags));
}
