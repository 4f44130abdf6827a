import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng';
import { sigmoid } from '../../src/model/classifier';
import { auc } from '../../src/model/metrics';
import { formatReport, trainOnCsv } from '../../src/model/tabular-train';
import { trainCsvCommand } from '../../src/cli/commands/train-csv';

/** A CSV whose target follows a known logistic model in `x` and a city effect; `noise` is pure noise. */
function writeCsv(dir: string, n: number): { path: string; truth: number[]; y: number[] } {
  const rng = new Rng(11);
  const lines = ['debtor_id,x,city,noise,leak,target'];
  const truth: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.normal();
    const city = rng.pick(['Lyon', 'Paris', 'Lille']);
    const eta = -1.5 + 1.2 * x + (city === 'Paris' ? 1 : 0);
    const label = rng.bernoulli(sigmoid(eta)) ? 1 : 0;
    truth.push(eta);
    y.push(label);
    lines.push(`D${i},${rng.bernoulli(0.05) ? 'NA' : x.toFixed(4)},${city},${rng.normal().toFixed(4)},${label},${label}`);
  }
  const path = join(dir, 'office.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, truth, y };
}

describe('trainOnCsv', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'relance-train-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('cross-validates the logistic models near the AUC of the true model, excluding id and dropped columns', async () => {
    const { path, truth, y } = writeCsv(dir, 1000);
    const report = await trainOnCsv({ csv: path, target: 'target', id: 'debtor_id', drop: ['leak'], models: ['logistic', 'logistic-ml'], k: 3, innerFolds: 2 });
    expect(report.featureNames).toEqual(['x', 'city', 'noise']);
    expect(report.categorical).toEqual(['city']);
    expect(report.models.map((m) => m.model)).toEqual(['logistic', 'logistic-ml']);
    const best = auc(y, truth);
    for (const m of report.models) {
      expect(m.auc.mean).toBeGreaterThan(best - 0.03);
      expect(m.auc.mean).toBeLessThan(best + 0.03);
      expect(m.folds).toHaveLength(3);
    }
    // both solvers reach the same likelihood: the same AUC to three decimals
    expect(report.models[0]!.auc.mean).toBeCloseTo(report.models[1]!.auc.mean, 2);
    const text = formatReport(report);
    expect(text).toMatch(/logistic-ml\s+0\.\d{4} ± 0\.\d{4}/);
    expect(text).toMatch(/1000 rows/);
  });

  test('GBDT runs through the same cross-validation, with early stopping rows taken from the training folds', async () => {
    const { path, truth, y } = writeCsv(dir, 800);
    const report = await trainOnCsv({ csv: path, target: 'target', id: 'debtor_id', drop: ['leak'], models: ['gbdt'], k: 3, gbdt: { numRounds: 60, minDataInLeaf: 20 } });
    expect(report.models[0]!.model).toBe('gbdt');
    expect(report.models[0]!.auc.mean).toBeGreaterThan(auc(y, truth) - 0.06);
  });

  test('a time column gives a holdout on the newest snapshot, trained on the older ones', async () => {
    const rng = new Rng(5);
    const lines = ['as_of,x,target'];
    const months = ['2024-01-31', '2024-02-29', '2024-03-31'];
    for (let i = 0; i < 600; i++) {
      const x = rng.normal();
      lines.push(`${months[i % 3]},${x.toFixed(3)},${rng.bernoulli(sigmoid(2 * x - 1)) ? 1 : 0}`);
    }
    const path = join(dir, 'snapshots.csv');
    writeFileSync(path, lines.join('\n'));
    const report = await trainOnCsv({ csv: path, target: 'target', timeColumn: 'as_of', models: ['logistic'] });
    expect(report.foldSource).toBe('time-holdout');
    expect(report.featureNames).toEqual(['x']);
    expect(report.models[0]!.folds.map((f) => [f.nTrain, f.nTest])).toEqual([[400, 200]]);
  });

  test('a dropped leak matters: keeping it gives a perfect AUC', async () => {
    const { path } = writeCsv(dir, 300);
    const report = await trainOnCsv({ csv: path, target: 'target', id: 'debtor_id', models: ['logistic'], k: 3 });
    expect(report.models[0]!.auc.mean).toBe(1);
  });

  test('logistic-ml is skipped above its row limit unless forced; bad options are named', async () => {
    const { path } = writeCsv(dir, 300);
    const report = await trainOnCsv({ csv: path, target: 'target', id: 'debtor_id', drop: ['leak'], models: ['logistic-ml'], mlLogisticMaxRows: 100, k: 3 });
    expect(report.models).toHaveLength(0);
    expect(report.skipped[0]!.reason).toMatch(/300 rows > 100/);
    await expect(trainOnCsv({ csv: path, target: 'nope' })).rejects.toThrow(/no column nope/);
    await expect(trainOnCsv({ csv: path, target: 'city', id: 'debtor_id' })).rejects.toThrow(/target city must have two values; it has 3 \(Lille, Lyon, Paris\)/);
    await expect(trainOnCsv({ csv: path, target: 'target', k: 1 })).rejects.toThrow(/^k must/);
    await expect(trainOnCsv({ csv: path, target: 'target', models: ['svm' as never] })).rejects.toThrow(/models: unknown model svm/);
  });

  test('a two-valued target is read as users have it: yes/no, Y/N, true/false, CRLF lines; other pairs need --positive', async () => {
    const { path, y } = writeCsv(dir, 400);
    const text = (await import('node:fs')).readFileSync(path, 'utf8').trim().split('\n');
    const rewrite = (name: string, pos: string, neg: string, eol = '\n') => {
      const file = join(dir, name);
      writeFileSync(file, text.map((line, i) => (i === 0 ? line : line.replace(/,(\d)$/, (_m, d: string) => `,${d === '1' ? pos : neg}`))).join(eol) + eol);
      return file;
    };
    const reference = await trainOnCsv({ csv: path, target: 'target', id: 'debtor_id', drop: ['leak'], models: ['logistic'], k: 3 });
    const cases: [string, string, string, string?][] = [['yes-no.csv', 'yes', 'no', '\r\n'], ['yn.csv', 'Y', 'N'], ['tf.csv', 'TRUE', 'false'], ['oui.csv', 'oui', 'non', '\r\n']];
    for (const [name, pos, neg, eol] of cases) {
      const report = await trainOnCsv({ csv: rewrite(name, pos, neg, eol), target: 'target', id: 'debtor_id', drop: ['leak'], models: ['logistic'], k: 3 });
      expect(report.positives).toBe(y.reduce((a, b) => a + b, 0));
      expect(report.models[0]!.auc.mean).toBeCloseTo(reference.models[0]!.auc.mean, 12);
    }
    const odd = rewrite('paid.csv', 'paid', 'unpaid');
    await expect(trainOnCsv({ csv: odd, target: 'target', id: 'debtor_id', drop: ['leak'], models: ['logistic'], k: 3 })).rejects.toThrow(/values paid and unpaid: say which one is positive with --positive/);
    const chosen = await trainOnCsv({ csv: odd, target: 'target', positive: 'paid', id: 'debtor_id', drop: ['leak'], models: ['logistic'], k: 3 });
    expect(chosen.positives).toBe(y.reduce((a, b) => a + b, 0));
    const flipped = await trainOnCsv({ csv: odd, target: 'target', positive: 'unpaid', id: 'debtor_id', drop: ['leak'], models: ['logistic'], k: 3 });
    expect(flipped.positives).toBe(y.length - y.reduce((a, b) => a + b, 0));
    await expect(trainOnCsv({ csv: odd, target: 'target', positive: 'PAID', id: 'debtor_id' })).rejects.toThrow(/--positive PAID is not a value of target target/);
    const missing = join(dir, 'missing.csv');
    writeFileSync(missing, text.map((line, i) => (i === 3 ? line.replace(/,\d$/, ',') : line)).join('\n') + '\n');
    await expect(trainOnCsv({ csv: missing, target: 'target', id: 'debtor_id', drop: ['leak'] })).rejects.toThrow(/missing.csv: line 4: target target is missing/);
  });

  test('the train --csv command prints the table or the JSON report', async () => {
    const { path } = writeCsv(dir, 300);
    const lines: string[] = [];
    await trainCsvCommand((l) => lines.push(l)).parseAsync(['--csv', path, '--target', 'target', '--id', 'debtor_id', '--drop', 'leak', '--models', 'logistic', '--k', '3', '--calibration', 'platt', '--json'], { from: 'user' });
    const report = JSON.parse(lines[0]!);
    expect(report.models[0].model).toBe('logistic');
    expect(report.featureNames).toEqual(['x', 'city', 'noise']);
    await expect(trainCsvCommand(() => undefined).parseAsync(['--csv', path, '--target', 'target', '--models', 'svm'], { from: 'user' })).rejects.toThrow(/--models: unknown model svm/);
    await expect(trainCsvCommand(() => undefined).parseAsync(['--csv', path, '--target', 'target', '--calibration', 'beta'], { from: 'user' })).rejects.toThrow(/--calibration must be/);
  });
});
