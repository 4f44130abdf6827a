/**
 * Fits side by side on worker threads give the models the same fits give one at a time on the
 * calling thread (their JSON, to the bit), in the order of the jobs, out-of-fold refits included; a
 * fit that fails in a thread fails the call with its message and error name.
 */
import { Rng } from '../../src/core/rng';
import type { Dataset } from '../../src/model/classifier';
import { subsetDataset } from '../../src/model/dataset-ops';
import { fitJob, fitSideBySide, type FitJob } from '../../src/model/fit-side-by-side';

/** Rows whose label depends on a few of the columns, with missing values and a weight column. */
function dataset(nRows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const nCols = 6;
  const data = new Float64Array(nRows * nCols);
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) data[i * nCols + j] = rng.next() < 0.05 ? NaN : rng.normal() * (j + 1);
    const x0 = data[i * nCols] as number;
    const x1 = data[i * nCols + 1] as number;
    const z = (Number.isNaN(x0) ? 0 : x0) - 0.5 * (Number.isNaN(x1) ? 0 : x1) + rng.normal();
    y[i] = z > 0.3 ? 1 : 0;
  }
  return { nRows, nCols, data, y, featureNames: ['a', 'b', 'c', 'd', 'e', 'f'] };
}

describe('fits side by side', () => {
  test('give the models of fits one at a time, in the order of the jobs', async () => {
    const train = dataset(6000, 1);
    const validation = dataset(1500, 2);
    const half = Array.from({ length: 3000 }, (_, i) => 2 * i);
    const split = { fitRows: half, heldRows: half.map((i) => i + 1) };
    const jobs: FitJob[] = [
      { kind: 'gbdt', train, validation, seed: 42 },
      { kind: 'logistic', train, seed: 42 },
      { kind: 'gbdt', options: { gbdt: { numLeaves: 7, subsample: 0.7 } }, train, without: split, validation, seed: 7 },
      { kind: 'logistic', train, without: split, seed: 42 },
      { kind: 'gbdt', train: validation, seed: 3 },
    ];
    const alone: Awaited<ReturnType<typeof fitJob>>[] = [];
    for (const job of jobs) alone.push(await fitJob(job));
    // an out-of-fold refit (its rows a view of the training set moved in place) is the fit of a copy of its rows
    for (const k of [2, 3]) {
      const job = jobs[k]!;
      const copy = await fitJob({ kind: job.kind, ...(job.options ? { options: job.options } : {}), train: subsetDataset(train, half), ...(job.validation ? { validation: job.validation } : {}), seed: job.seed });
      expect(JSON.stringify(alone[k]!.model.toJSON())).toBe(JSON.stringify(copy.model.toJSON()));
    }
    const sideBySide = await fitSideBySide(jobs, { threads: 2 });
    expect(sideBySide.map((r) => r.model.kind)).toEqual(['gbdt', 'logistic', 'gbdt', 'logistic', 'gbdt']);
    sideBySide.forEach((r, k) => {
      expect(JSON.stringify(r.model.toJSON())).toBe(JSON.stringify(alone[k]!.model.toJSON()));
      expect(r.seconds).toBeGreaterThan(0);
    });
    // a fit too big to run side by side runs here, with the same result
    const capped = await fitSideBySide(jobs, { threads: 2, maxCells: 20_000 });
    capped.forEach((r, k) => expect(JSON.stringify(r.model.toJSON())).toBe(JSON.stringify(alone[k]!.model.toJSON())));
  });

  test('a fit that fails in a thread fails the call, with its message and error name', async () => {
    const train = dataset(500, 3);
    const call = fitSideBySide([{ kind: 'gbdt', train, seed: 1 }, { kind: 'gbdt', options: { gbdt: { numLeaves: 1 } }, train, seed: 1 }], { threads: 2 });
    await expect(call).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('numLeaves') });
  });
});
