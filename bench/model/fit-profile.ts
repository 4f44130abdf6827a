/**
 * One data set's GBDT or logistic fits in a loop, for profilers (`node --cpu-prof`, valgrind):
 * the training rows of the reference folds, each fit as crossValidate makes it (10 % held out for
 * early stopping), with the AUC of each fold so a change that alters the model shows at once.
 * `--seeds 1,2,3` refits with each seed (bagging draws, validation split), to show how far the
 * mean AUC moves with the seed alone; `--options '{"subsample":1}'` overrides GBDT options.
 * Run: node -r tsx/cjs bench/model/fit-profile.ts [--data bank|gmsc] [--model gbdt|logistic] [--threads 1] [--folds 0,1,2,3,4] [--repeat 1] [--seeds 42] [--options JSON]
 */
import { join } from 'node:path';
import { crossValidate } from '../../src/model/cross-validation';
import { readCsvTable, readFoldsFile } from '../../src/model/csv-table';
import { GbdtClassifier, type GbdtOptions } from '../../src/model/gbdt';
import { LogisticClassifier } from '../../src/model/logistic';
import { splitsFromFolds } from '../../src/model/folds';
import { datasetFromTable } from '../../src/model/tabular-train';

const SHARED = join(__dirname, '..', '..', '..', 'shared');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback);
const which = flag('--data', 'bank');
const model = flag('--model', 'gbdt');
const threads = Number(flag('--threads', '1'));
const repeat = Number(flag('--repeat', '1'));
const keep = flag('--folds', '0,1,2,3,4').split(',').map(Number);
const seeds = flag('--seeds', '42').split(',').map(Number);
const options = JSON.parse(flag('--options', '{}')) as GbdtOptions;

async function main(): Promise<void> {
  const file = which === 'bank' ? join(SHARED, 'data', 'bank-marketing', 'bank-marketing.csv') : join(SHARED, 'data', 'give-me-some-credit', 'cs-training.csv');
  const folds = join(SHARED, 'anchors', 'models', which === 'bank' ? 'bank_marketing_folds.csv' : 'gmsc_folds.csv');
  const table = readCsvTable(file);
  const ds = which === 'bank' ? datasetFromTable(table, 'output', ['duration'], file) : datasetFromTable(table, 'SeriousDlqin2yrs', [table.columns[0]!.name], file);
  const splits = splitsFromFolds(readFoldsFile(folds, ds.nRows, ds.y)).filter((_, k) => keep.includes(k));
  for (let rep = 0; rep < repeat; rep++) for (const seed of seeds) {
    const classifier = model === 'gbdt' ? new GbdtClassifier({ nThreads: threads, ...options }) : new LogisticClassifier();
    const res = await crossValidate(classifier, ds, splits, { threshold: 'bayes', validationFraction: model === 'gbdt' ? 0.1 : 0, seed });
    const fits = res.folds.map((f) => f.fitSeconds.toFixed(3)).join(' ');
    const cpu = res.folds.map((f) => f.fitCpuSeconds.toFixed(3)).join(' ');
    console.log(`${which} ${model} seed ${seed}: AUC ${res.folds.map((f) => f.auc.toFixed(5)).join(' ')} mean ${res.summary.auc.mean.toFixed(5)}; fit s ${fits}; cpu s ${cpu}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
