/**
 * relance's logistic and GBDT on Bank Marketing (nine text columns, `duration` dropped) with the
 * reference folds, side by side in one run with scikit-learn's LogisticRegression (one-hot +
 * standardised) and HistGradientBoosting (native categorical), and XGBoost with native categorical
 * splits when asked. Every model runs its five folds `--repeat` times, interleaved (relance, then
 * Python, then relance…) so both sides see the same load; fit times are medians over all fits.
 * Last, batch prediction of the GBDT of fold 0 on its test rows tiled to `--predict-rows` rows
 * (default 1,000,000; 0 skips): rows/s on one thread and on every core.
 * Run: node -r tsx/cjs bench/model/bank.ts [--repeat 3] [--threads 2] [--xgb] [--skip-python] [--omp-passive] [--models a,b] [--predict-rows N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Classifier } from '../../src/model/classifier';
import { crossValidate, type CrossValidateOptions, type FoldResult } from '../../src/model/cross-validation';
import { readCsvTable, readFoldsFile } from '../../src/model/csv-table';
import { GbdtClassifier, closePredictionPool, type GbdtModel } from '../../src/model/gbdt';
import { subsetDataset } from '../../src/model/dataset-ops';
import { splitsFromFolds, stratifiedFolds } from '../../src/model/folds';
import { LogisticClassifier } from '../../src/model/logistic';
import { datasetFromTable } from '../../src/model/tabular-train';
import { loaderLine, ompPolicyLine, pythonEnv } from './loader';
import { predictThroughput, throughputLine } from './predict-throughput';

const SHARED = join(__dirname, '..', '..', '..', 'shared');
const DATA = join(SHARED, 'data', 'bank-marketing', 'bank-marketing.csv');
const FOLDS = join(SHARED, 'anchors', 'models', 'bank_marketing_folds.csv');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback);
const repeat = Number(flag('--repeat', '3'));
const threads = Number(flag('--threads', '2'));
const only = args.includes('--models') ? flag('--models', '').split(',') : null;
const predictRows = Number(flag('--predict-rows', '1000000'));

interface BenchModel {
  name: string;
  /** The Python model its fit time is compared with. */
  reference: string;
  make(): Classifier;
  options?: CrossValidateOptions;
}

const MODELS: BenchModel[] = [
  { name: 'logistic IRLS, one-hot + clip + missing ind.', reference: 'lr', make: () => new LogisticClassifier() },
  { name: `GBDT defaults, early stop on 10 % of train, ${threads} threads`, reference: 'hgb', make: () => new GbdtClassifier({ nThreads: threads }), options: { validationFraction: 0.1 } },
  // the defaults before 2026-12-05 (learning rate 0.05, 31 leaves, at least 100 rows a leaf), for comparison in the same run
  { name: `GBDT before 2026-12-05 (learning rate 0.05, 31 leaves, 100 rows a leaf), early stop on 10 % of train, ${threads} threads`, reference: 'hgb', make: () => new GbdtClassifier({ nThreads: threads, learningRate: 0.05, numLeaves: 31, minDataInLeaf: 100 }), options: { validationFraction: 0.1 } },
];

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2; };
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const rate = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Timed { name: string; auc: number[]; fit: number[]; cpu: number[]; predict: number[] }
interface PyResult { name: string; auc: number[]; fit: number[]; cpu: number[]; predict: number[] }

async function main(): Promise<void> {
  const started = Date.now();
  const table = readCsvTable(DATA);
  const ds = datasetFromTable(table, 'output', ['duration'], DATA);
  const folds = readFoldsFile(FOLDS, ds.nRows, ds.y);
  const cats = (ds.categorical ?? []).map((j) => ds.featureNames[j]);
  console.log(`Bank Marketing: ${ds.nRows} rows, ${ds.nCols} features (${cats.length} categorical: ${cats.join(', ')}), duration dropped, 5 reference folds`);
  console.log(`${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}; ${new Date().toISOString()}; load average at start ${load()}; ${repeat} repeats`);
  console.log(loaderLine());
  console.log(ompPolicyLine(args));
  const python = !args.includes('--skip-python') && pythonAvailable();
  const rows = new Map<string, Timed>();
  const py = new Map<string, PyResult>();
  const loads: string[] = [];
  for (let rep = 0; rep < repeat; rep++) {
    loads.push(load());
    for (const m of MODELS) {
      if (only && !only.some((o) => m.name.includes(o))) continue;
      const res = await crossValidate(m.make(), ds, folds, { threshold: 'bayes', ...m.options });
      const row = rows.get(m.name) ?? { name: m.name, auc: [], fit: [], cpu: [], predict: [] };
      const fs: readonly FoldResult[] = res.folds;
      if (rep === 0) row.auc = fs.map((f) => f.auc);
      row.fit.push(...fs.map((f) => f.fitSeconds));
      row.cpu.push(...fs.map((f) => f.fitCpuSeconds));
      row.predict.push(...fs.map((f) => f.predictRowsPerSecond));
      rows.set(m.name, row);
      process.stderr.write(`  [${rep + 1}/${repeat}] ${m.name}: AUC ${res.summary.auc.mean.toFixed(4)}, fit median ${median(fs.map((f) => f.fitSeconds)).toFixed(3)} s\n`);
    }
    if (python) {
      for (const p of runPython()) {
        const acc = py.get(p.name) ?? { name: p.name, auc: p.auc, fit: [], cpu: [], predict: [] };
        acc.fit.push(...p.fit);
        acc.cpu.push(...p.cpu);
        acc.predict.push(...p.predict);
        py.set(p.name, acc);
        process.stderr.write(`  [${rep + 1}/${repeat}] python ${p.name}: AUC ${mean(p.auc).toFixed(4)}, fit median ${median(p.fit).toFixed(3)} s\n`);
      }
    }
  }
  loads.push(load());
  console.log(`load average (1, 5, 15 min) before each repeat and at the end: ${loads.join(' | ')}\n`);
  console.log(`| model | AUC mean ± std | fit s wall (median of ${repeat} × 5) | fit s CPU | predict rows/s |`);
  console.log('|---|---|---|---|---|');
  const line = (t: Timed | PyResult) => `| ${t.name} | ${mean(t.auc).toFixed(4)} ± ${std(t.auc).toFixed(4)} | ${median(t.fit).toFixed(3)} | ${median(t.cpu).toFixed(3)} | ${rate(median(t.predict))} |`;
  for (const r of rows.values()) console.log(line(r));
  for (const p of py.values()) console.log(line(p));
  if (python) {
    console.log('\nfit time ratio relance / python, same run (> 1: relance slower):\n');
    console.log('| relance model | python model | wall | CPU |');
    console.log('|---|---|---|---|');
    for (const m of MODELS) {
      const r = rows.get(m.name);
      const p = py.get(m.reference);
      if (r && p) console.log(`| ${m.name} | ${p.name} | ${(median(r.fit) / median(p.fit)).toFixed(2)} | ${(median(r.cpu) / median(p.cpu)).toFixed(2)} |`);
    }
  }
  console.log('\nreference (anchors README, 2026-12-04): LogisticRegression 0.7607 (0.35 s), HistGradientBoosting 0.7768 (0.24 s), XGBoost 0.7757 (0.46 s)');
  if (predictRows > 0) {
    // the fold-0 fit as crossValidate makes it: 10 % of the training rows watch early stopping
    const split = splitsFromFolds(folds)[0]!;
    const inner = stratifiedFolds(Uint8Array.from(split.train, (i) => ds.y[i] as number), 10, 42 + split.train.length);
    const validation = subsetDataset(ds, split.train.filter((_, k) => inner[k] === 0));
    const model = (await new GbdtClassifier({ nThreads: threads }).fit(subsetDataset(ds, split.train.filter((_, k) => inner[k] !== 0)), { seed: 42, validation })) as GbdtModel;
    const t = predictThroughput(model, subsetDataset(ds, split.test), predictRows);
    console.log(`\nbatch prediction, GBDT of fold 0, its test rows tiled (load ${load()}):\n`);
    console.log('| model | trees | rows | rows/s 1 thread | rows/s all threads | predictProba (threads by load) |');
    console.log('|---|---|---|---|---|---|');
    console.log(throughputLine('relance GBDT defaults, native categorical', t, model.trees.length));
    await closePredictionPool();
    if (python) {
      const env = pythonEnv(args);
      const run = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE.replace('models = [', 'models = [] and ['), DATA, FOLDS, String(threads), '0', String(predictRows)], { encoding: 'utf8', maxBuffer: 1 << 24, env });
      if (run.status !== 0) throw new Error(`python reference failed: ${run.stderr.slice(-2000)}`);
      const h = JSON.parse(run.stdout) as { iters: number; one: number; all: number };
      const m = (r: number) => `${(r / 1e6).toFixed(2)} M`;
      console.log(`| scikit-learn HistGradientBoosting, native categorical | ${h.iters} | ${predictRows.toLocaleString('en')} | ${m(h.one)} | ${m(h.all)} (${threads}) | — |`);
    }
  }
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function pythonAvailable(): boolean {
  const probe = existsSync('/usr/bin/python3') ? spawnSync('/usr/bin/python3', ['-c', 'import sklearn, xgboost'], { encoding: 'utf8' }) : null;
  if (!probe || probe.status !== 0) console.log('scikit-learn / XGBoost not importable by /usr/bin/python3: no same-run comparison (apt-get install python3-sklearn python3-xgboost)');
  return probe?.status === 0;
}

function runPython(): PyResult[] {
  const env = pythonEnv(args);
  const run = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE, DATA, FOLDS, String(threads), args.includes('--xgb') ? '1' : '0'], { encoding: 'utf8', maxBuffer: 1 << 24, env });
  if (run.status !== 0) throw new Error(`python reference failed: ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as PyResult[];
}

/** The reference models of the anchors README on the same folds; categories coded in sorted order as relance does. */
const PYTHON_REFERENCE = String.raw`
import sys, csv, json, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits
with open(sys.argv[1], newline='') as fh:
    rows = list(csv.reader(fh))
head, rows = rows[0], rows[1:]
keep = [j for j, h in enumerate(head) if h not in ('duration', 'output')]
y = np.array([1 if r[head.index('output')] == 'yes' else 0 for r in rows])
cols, cat = [], []
for j in keep:
    vals = [r[j] for r in rows]
    try:
        cols.append(np.array(vals, dtype=float)); cat.append(False)
    except ValueError:
        levels = sorted(set(vals)); code = {l: k for k, l in enumerate(levels)}
        cols.append(np.array([code[v] for v in vals], dtype=float)); cat.append(True)
X = np.column_stack(cols); cat = np.array(cat)
folds = np.genfromtxt(sys.argv[2], delimiter=',', skip_header=1).astype(int)
fold = np.empty(len(y), int); fold[folds[:, 0]] = folds[:, 1]
threads = int(sys.argv[3]); with_xgb = sys.argv[4] == '1'
def lr():
    ct = ColumnTransformer([('oh', OneHotEncoder(handle_unknown='ignore'), np.where(cat)[0]), ('num', StandardScaler(), np.where(~cat)[0])])
    return make_pipeline(ct, StandardScaler(with_mean=False), LogisticRegression(max_iter=2000))
def hgb(): return HistGradientBoostingClassifier(categorical_features=cat, random_state=0)
class XGB:
    def fit(self, tr, ytr):
        import xgboost as xgb
        a, v, ya, yv = train_test_split(tr, ytr, test_size=0.1, stratify=ytr, random_state=0)
        ft = ['c' if c else 'q' for c in cat]
        da = xgb.DMatrix(a, ya, feature_types=ft, enable_categorical=True); dv = xgb.DMatrix(v, yv, feature_types=ft, enable_categorical=True)
        p = {'tree_method': 'hist', 'max_depth': 6, 'eta': 0.05, 'objective': 'binary:logistic', 'eval_metric': 'logloss', 'nthread': threads, 'max_cat_to_onehot': 1}
        self.b = xgb.train(p, da, 2000, evals=[(dv, 'v')], early_stopping_rounds=50, verbose_eval=False); self.ft = ft; return self
    def predict_proba(self, te):
        import xgboost as xgb
        p = self.b.predict(xgb.DMatrix(te, feature_types=self.ft, enable_categorical=True), iteration_range=(0, self.b.best_iteration + 1)); return np.column_stack([1 - p, p])
models = [('lr', lr), ('hgb', hgb)] + ([('xgb', XGB)] if with_xgb else [])
out = []
with threadpool_limits(threads):
    for name, make in models:
        res = {'name': name, 'auc': [], 'fit': [], 'cpu': [], 'predict': []}
        for f in range(5):
            tr, te = fold != f, fold == f
            t0, c0 = time.perf_counter(), time.process_time(); m = make().fit(X[tr], y[tr])
            res['fit'].append(time.perf_counter() - t0); res['cpu'].append(time.process_time() - c0)
            t0 = time.perf_counter(); p = m.predict_proba(X[te])[:, 1]
            res['predict'].append(te.sum() / (time.perf_counter() - t0)); res['auc'].append(roc_auc_score(y[te], p))
        out.append(res)
if len(sys.argv) > 5:
    # batch prediction: HistGradientBoosting of fold 0 on its test rows tiled, 1 and n threads
    n = int(sys.argv[5]); tr, te = fold != 0, fold == 0
    m = hgb().fit(X[tr], y[tr]); big = np.tile(X[te], (n // te.sum() + 1, 1))[:n]
    def rate(t):
        with threadpool_limits(t):
            m.predict_proba(big); ts = []
            for _ in range(5):
                t0 = time.perf_counter(); m.predict_proba(big); ts.append(time.perf_counter() - t0)
        return n / float(np.median(ts))
    print(json.dumps({'iters': int(m.n_iter_), 'one': rate(1), 'all': rate(threads)}))
else:
    print(json.dumps(out))
`;

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
