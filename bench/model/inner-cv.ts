/**
 * Chooses GBDT defaults without looking at the reference test folds: for each outer fold, its
 * training rows only are split into `--inner` stratified folds, and each candidate is fitted as
 * crossValidate fits it (10 % of the fit's rows held out for early stopping) and scored on the
 * inner held-out fold. Prints per candidate the mean inner AUC, the mean log-loss, the median
 * number of trees kept and the median CPU seconds per fit; the outer test rows are never read.
 * Run: node -r tsx/cjs bench/model/inner-cv.ts [--data bank|gmsc] [--inner 3] [--outer 0,1,2,3,4] [--seeds 42] [--threads 1]
 *      [--configs '[{"learningRate":0.1},{}]']
 */
import { join } from 'node:path';
import { crossValidate } from '../../src/model/cross-validation';
import { readCsvTable, readFoldsFile } from '../../src/model/csv-table';
import { subsetDataset } from '../../src/model/dataset-ops';
import { splitsFromFolds, stratifiedFolds } from '../../src/model/folds';
import { GbdtClassifier, type GbdtModel, type GbdtOptions } from '../../src/model/gbdt';
import { datasetFromTable } from '../../src/model/tabular-train';

const SHARED = join(__dirname, '..', '..', '..', 'shared');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback);
const which = flag('--data', 'bank');
const inner = Number(flag('--inner', '3'));
const outer = flag('--outer', '0,1,2,3,4').split(',').map(Number);
const seeds = flag('--seeds', '42').split(',').map(Number);
const threads = Number(flag('--threads', '1'));
const configs = JSON.parse(flag('--configs', '[{}]')) as GbdtOptions[];

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2; };
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function main(): Promise<void> {
  const file = which === 'bank' ? join(SHARED, 'data', 'bank-marketing', 'bank-marketing.csv') : join(SHARED, 'data', 'give-me-some-credit', 'cs-training.csv');
  const foldsFile = join(SHARED, 'anchors', 'models', which === 'bank' ? 'bank_marketing_folds.csv' : 'gmsc_folds.csv');
  const table = readCsvTable(file);
  const ds = which === 'bank' ? datasetFromTable(table, 'output', ['duration'], file) : datasetFromTable(table, 'SeriousDlqin2yrs', [table.columns[0]!.name], file);
  const outerSplits = splitsFromFolds(readFoldsFile(foldsFile, ds.nRows, ds.y));
  for (const options of configs) {
    const auc: number[] = [];
    const logLoss: number[] = [];
    const cpu: number[] = [];
    const trees: number[] = [];
    for (const seed of seeds) {
      for (const k of outer) {
        // the outer test fold is dropped here and never read again
        const train = subsetDataset(ds, outerSplits[k]!.train);
        const innerFolds = stratifiedFolds(train.y, inner, seed + 1000 * k);
        const classifier = new GbdtClassifier({ nThreads: threads, ...options });
        const fit = classifier.fit.bind(classifier);
        classifier.fit = async (...a: Parameters<GbdtClassifier['fit']>): Promise<GbdtModel> => {
          const model = await fit(...a);
          trees.push(model.trees.length);
          return model;
        };
        const res = await crossValidate(classifier, train, innerFolds, { threshold: 'bayes', validationFraction: 0.1, seed });
        for (const f of res.folds) {
          auc.push(f.auc);
          logLoss.push(f.logLoss);
          cpu.push(f.fitCpuSeconds);
        }
      }
    }
    console.log(
      `${which} ${JSON.stringify(options)}: inner AUC ${mean(auc).toFixed(5)} log-loss ${mean(logLoss).toFixed(5)} trees ${trees.length ? median(trees) : '?'} cpu s/fit ${median(cpu).toFixed(3)} (${auc.length} fits)`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
