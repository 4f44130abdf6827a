/**
 * Every relance model on Give Me Some Credit with the reference folds, printed next to the
 * reference table of ../shared/anchors/models/README.md; when /usr/bin/python3 has scikit-learn and
 * XGBoost, the reference models run on the same folds in the same session and time ratios follow.
 * Run: node -r tsx/cjs bench/model/gmsc.ts [--skip-ml] [--skip-python] [--models a,b] [--omp-passive]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Classifier } from '../../src/model/classifier';
import { crossValidate, type CrossValidateOptions, type FoldResult } from '../../src/model/cross-validation';
import { readCsvTable, readFoldsFile } from '../../src/model/csv-table';
import { GbdtClassifier } from '../../src/model/gbdt';
import { LogisticClassifier } from '../../src/model/logistic';
import { datasetFromTable } from '../../src/model/tabular-train';
import { loaderLine, ompPolicyLine, pythonEnv } from './loader';

const SHARED = join(__dirname, '..', '..', '..', 'shared');
const DATA = join(SHARED, 'data', 'give-me-some-credit', 'cs-training.csv');
const FOLDS = join(SHARED, 'anchors', 'models', 'gmsc_folds.csv');
const README = join(SHARED, 'anchors', 'models', 'README.md');
const args = process.argv.slice(2);
const only = args.includes('--models') ? (args[args.indexOf('--models') + 1] ?? '').split(',') : null;

interface BenchModel {
  name: string;
  /** Name of the matching Python reference model, for time ratios. */
  reference?: string;
  make(threads: number): Classifier;
  threads: number[];
  options?: CrossValidateOptions;
}

const plain = { preprocess: { clipPercentiles: null, missingIndicators: false } } as const;
const MODELS: BenchModel[] = [
  { name: 'logistic IRLS, median impute + standardise', reference: 'lr_plain', make: () => new LogisticClassifier(plain), threads: [1] },
  { name: 'same, class weight balanced (shifted thr)', reference: 'lr_balanced', make: () => new LogisticClassifier(plain), threads: [1], options: { classWeight: 'balanced' } },
  { name: 'logistic IRLS, clip 0.5–99.5 % + missing ind.', reference: 'lr_clip', make: () => new LogisticClassifier(), threads: [1] },
  { name: 'logistic ml-logistic-regression, clip + ind.', reference: 'lr_clip', make: () => new LogisticClassifier({ solver: 'gradient-descent' }), threads: [1] },
  { name: 'GBDT defaults, early stop on 10 % of train', reference: 'hgb', make: (t) => new GbdtClassifier({ nThreads: t }), threads: [1, 2], options: { validationFraction: 0.1 } },
  { name: 'GBDT before 2026-12-05 (learning rate 0.05, 31 leaves, 100 rows a leaf), early stop on 10 % of train', reference: 'hgb', make: (t) => new GbdtClassifier({ nThreads: t, learningRate: 0.05, numLeaves: 31, minDataInLeaf: 100 }), threads: [1, 2], options: { validationFraction: 0.1 } },
];

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2; };
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const rate = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);

interface Row { name: string; reference?: string; folds: FoldResult[]; fit: number[]; fitCpu: number[]; predict: number[]; predictCpu: number[] }

async function main(): Promise<void> {
  const started = Date.now();
  const table = readCsvTable(DATA);
  const ds = datasetFromTable(table, 'SeriousDlqin2yrs', ['column_0'], DATA);
  const folds = readFoldsFile(FOLDS, ds.nRows, ds.y);
  console.log(`Give Me Some Credit: ${ds.nRows} rows, ${ds.nCols} features, 5 reference folds; ${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}; ${new Date().toISOString()}`);
  console.log(loaderLine());
  console.log(ompPolicyLine(args));
  const rows: Row[] = [];
  for (const m of MODELS) {
    if (only && !only.some((o) => m.name.includes(o))) continue;
    if (args.includes('--skip-ml') && m.name.includes('ml-logistic')) continue;
    const row: Row = { name: m.name, ...(m.reference ? { reference: m.reference } : {}), folds: [], fit: [], fitCpu: [], predict: [], predictCpu: [] };
    for (const threads of m.threads) {
      const res = await crossValidate(m.make(threads), ds, folds, { threshold: 'bayes', ...m.options });
      if (threads === m.threads[0]) row.folds = [...res.folds];
      row.fit.push(median(res.folds.map((f) => f.fitSeconds)));
      row.predict.push(median(res.folds.map((f) => f.predictRowsPerSecond)));
      row.fitCpu.push(median(res.folds.map((f) => f.fitCpuSeconds)));
      row.predictCpu.push(median(res.folds.map((f) => f.predictRowsPerCpuSecond)));
      process.stderr.write(`  ${m.name} (${threads} thread${threads > 1 ? 's' : ''}): AUC ${res.summary.auc.mean.toFixed(4)}, fit ${row.fit.at(-1)?.toFixed(2)} s/fold\n`);
    }
    rows.push(row);
  }
  console.log('\nrelance (fixed threshold: p ≥ 1/11, or r/(10 + r) when class-weighted; cost = (10·FN + FP) / rows, mean over test folds)\n');
  console.log('| model | AUC mean ± std | accuracy @0.5 | fixed-threshold cost | log-loss | fit s wall 1t / 2t | fit s CPU 1t / 2t | predict rows/s wall (per CPU s) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const aucs = r.folds.map((f) => f.auc);
    console.log(`| ${r.name} | ${mean(aucs).toFixed(4)} ± ${std(aucs).toFixed(4)} | ${mean(r.folds.map((f) => f.accuracy)).toFixed(4)} | ${mean(r.folds.map((f) => f.fixedCost)).toFixed(4)} | ${mean(r.folds.map((f) => f.logLoss)).toFixed(4)} | ${r.fit.map((f) => f.toFixed(2)).join(' / ')} | ${r.fitCpu.map((f) => f.toFixed(2)).join(' / ')} | ${r.predict.map(rate).join(' / ')} (${r.predictCpu.map(rate).join(' / ')}) |`);
  }
  console.log('\nreference (scikit-learn 1.2.1, XGBoost 1.7.4; anchors README):\n');
  for (const line of readFileSync(README, 'utf8').split('\n')) if (line.startsWith('|')) console.log(line);
  if (!args.includes('--skip-python')) comparePython(rows);
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

interface PyResult { name: string; auc: number[]; cost: number[]; logloss: number[]; fit1: number; fit2: number; cpu1: number; cpu2: number; predict1: number; predict2: number; predictCpu1: number }

function comparePython(rows: Row[]): void {
  const probe = existsSync('/usr/bin/python3') ? spawnSync('/usr/bin/python3', ['-c', 'import sklearn, xgboost; print(sklearn.__version__, xgboost.__version__)'], { encoding: 'utf8' }) : null;
  if (!probe || probe.status !== 0) {
    console.log('\nscikit-learn / XGBoost: not importable by /usr/bin/python3 — no same-session comparison.');
    return;
  }
  console.log(`\nsame session, /usr/bin/python3 with scikit-learn ${probe.stdout.trim().replace(' ', ', XGBoost ')} on the same folds:\n`);
  // passive OpenMP waits: on a shared, loaded machine spinning workers slow 2-thread fits by 10×
  const env = pythonEnv(args);
  const run = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE, DATA, FOLDS], { encoding: 'utf8', maxBuffer: 1 << 24, env });
  if (run.status !== 0) {
    console.log(`python reference failed: ${run.stderr.slice(-2000)}`);
    return;
  }
  const results = JSON.parse(run.stdout) as PyResult[];
  console.log('| python model | AUC mean ± std | fixed-threshold cost | log-loss | fit s wall 1t / 2t | fit s CPU 1t / 2t | predict rows/s wall 1t / 2t (per CPU s 1t) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const p of results) {
    console.log(`| ${p.name} | ${mean(p.auc).toFixed(4)} ± ${std(p.auc).toFixed(4)} | ${mean(p.cost).toFixed(4)} | ${mean(p.logloss).toFixed(4)} | ${p.fit1.toFixed(2)} / ${p.fit2.toFixed(2)} | ${p.cpu1.toFixed(2)} / ${p.cpu2.toFixed(2)} | ${rate(p.predict1)} / ${rate(p.predict2)} (${rate(p.predictCpu1)}) |`);
  }
  console.log('\ntime ratios relance / python (fit: > 1 is slower; predict rows/s: < 1 is slower; CPU ratios are the steadier on a loaded machine):\n');
  console.log('| relance model | python model | fit wall 1t | fit wall 2t | fit CPU 1t | predict wall 1t | predict CPU 1t |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const p = results.find((x) => x.name === r.reference);
    if (!p) continue;
    const fit2 = r.fit[1] ?? r.fit[0] as number;
    const ratio = (a: number | undefined, b: number) => ((a as number) / b).toFixed(2);
    console.log(`| ${r.name} | ${p.name} | ${ratio(r.fit[0], p.fit1)} | ${ratio(fit2, p.fit2)} | ${ratio(r.fitCpu[0], p.cpu1)} | ${ratio(r.predict[0], p.predict1)} | ${ratio(r.predictCpu[0], p.predictCpu1)} |`);
  }
}

/** The reference models of the anchors README, in Python, on the same folds; prints JSON. */
const PYTHON_REFERENCE = String.raw`
import sys, json, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score, log_loss
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits
import xgboost as xgb
raw = np.genfromtxt(sys.argv[1], delimiter=',', skip_header=1, missing_values='NA', filling_values=np.nan)
y = raw[:, 1].astype(int); X = raw[:, 2:]
folds = np.genfromtxt(sys.argv[2], delimiter=',', skip_header=1).astype(int)
fold = np.empty(len(y), int); fold[folds[:, 0]] = folds[:, 1]
def plain(tr):
    med = np.nanmedian(tr, 0); a = np.where(np.isnan(tr), med, tr); mu, sd = a.mean(0), a.std(0)
    return lambda z: (np.where(np.isnan(z), med, z) - mu) / sd
def clip(tr):
    lo, hi = np.nanpercentile(tr, [0.5, 99.5], axis=0); miss = np.isnan(tr).any(0)
    f = lambda a: np.hstack([np.clip(a, lo, hi), np.isnan(a[:, miss]).astype(float)])
    g = plain(f(tr)); return lambda z: g(f(z))
class LR:
    def __init__(self, prep, balanced=False): self.prep, self.balanced = prep, balanced
    def fit(self, tr, ytr, t):
        self.m = LogisticRegression(max_iter=2000, class_weight='balanced' if self.balanced else None)
        self.t = self.prep(tr); self.m.fit(self.t(tr), ytr); return self
    def predict(self, te): return self.m.predict_proba(self.t(te))[:, 1]
class HGB:
    def fit(self, tr, ytr, t): self.m = HistGradientBoostingClassifier(random_state=0).fit(tr, ytr); return self
    def predict(self, te): return self.m.predict_proba(te)[:, 1]
class XGB:
    def fit(self, tr, ytr, t):
        a, v, ya, yv = train_test_split(tr, ytr, test_size=0.1, stratify=ytr, random_state=0)
        self.m = xgb.XGBClassifier(tree_method='hist', max_depth=6, learning_rate=0.05, n_estimators=2000, early_stopping_rounds=50, eval_metric='logloss', n_jobs=t)
        self.m.fit(a, ya, eval_set=[(v, yv)], verbose=False); self.m.set_params(n_jobs=t); return self
    def predict(self, te): return self.m.predict_proba(te)[:, 1]
models = [('lr_plain', lambda: LR(plain)), ('lr_balanced', lambda: LR(plain, True)), ('lr_clip', lambda: LR(clip)), ('hgb', HGB), ('xgb', XGB)]
out = []
for name, make in models:
    res = {'name': name, 'auc': [], 'cost': [], 'logloss': []}
    for t in (1, 2):
        fits, cpus, preds, pcpu = [], [], [], []
        with threadpool_limits(t):
            for f in range(5):
                tr, te = fold != f, fold == f
                t0, c0 = time.perf_counter(), time.process_time(); m = make().fit(X[tr], y[tr], t)
                fits.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
                if name == 'xgb': m.m.set_params(n_jobs=t)
                t0, c0 = time.perf_counter(), time.process_time(); p = m.predict(X[te])
                preds.append(te.sum() / (time.perf_counter() - t0)); pcpu.append(te.sum() / max(time.process_time() - c0, 1e-6))
                if t == 1:
                    r = (y[tr] == 0).sum() / (y[tr] == 1).sum(); thr = r / (10 + r) if name == 'lr_balanced' else 1 / 11
                    flag = p >= thr; yt = y[te]
                    res['auc'].append(roc_auc_score(yt, p)); res['logloss'].append(log_loss(yt, p))
                    res['cost'].append(float((10 * ((yt == 1) & ~flag).sum() + ((yt == 0) & flag).sum()) / len(yt)))
        res['fit%d' % t] = float(np.median(fits)); res['cpu%d' % t] = float(np.median(cpus)); res['predict%d' % t] = float(np.median(preds))
        if t == 1: res['predictCpu1'] = float(np.median(pcpu))
    out.append(res)
print(json.dumps(out))
`;

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
