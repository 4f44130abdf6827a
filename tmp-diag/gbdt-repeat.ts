import { join } from 'node:path';
import { readCsvTable, readFoldsFile } from '../src/model/csv-table';
import { GbdtClassifier } from '../src/model/gbdt';
import { subsetDataset } from '../src/model/dataset-ops';
import { splitsFromFolds } from '../src/model/folds';
import { datasetFromTable } from '../src/model/tabular-train';
import { createHash } from 'node:crypto';
const SHARED = join(__dirname, '..', '..', 'shared');
const table = readCsvTable(join(SHARED, 'data', 'bank-marketing', 'bank-marketing.csv'));
const ds = datasetFromTable(table, 'output', ['duration'], 'bank');
const folds = readFoldsFile(join(SHARED, 'anchors', 'models', 'bank_marketing_folds.csv'), ds.nRows, ds.y);
const splits = splitsFromFolds(folds as any);
(async () => {
  const { train } = splits[0]!;
  const cut = Math.floor(train.length * 0.9);
  const tr = subsetDataset(ds, Array.from(train).slice(0, cut));
  const va = subsetDataset(ds, Array.from(train).slice(cut));
  const hashes = new Map<string, number>();
  for (let k = 0; k < Number(process.argv[2] ?? 10); k++) {
    const threads = k % 2 === 0 ? 2 : 1;
    const m = await new GbdtClassifier({ nThreads: threads }).fit(tr, { seed: 42, validation: va });
    const h = createHash('sha1').update(JSON.stringify(m.toJSON())).digest('hex').slice(0, 10);
    hashes.set(`${threads}:${h}`, (hashes.get(`${threads}:${h}`) ?? 0) + 1);
    console.log(k, threads, h);
  }
  console.log([...hashes]);
  process.exit(0);
})();
