/** Worker threads share the work but never change the model. */
import { GbdtClassifier } from '../../../src/model/gbdt';
import { logisticData } from './synthetic';

describe('GBDT threads', () => {
  it('builds the same model on two or three threads as on one, weighted or not', async () => {
    // Large enough that the root's histograms and partition are both shared between threads.
    const data = logisticData(25000, 8, 31, 0.05);
    const options = { numRounds: 4, numLeaves: 31, minDataInLeaf: 20, subsample: 0.8, colsample: 0.75, parallelMinRows: 0 };
    const single = await new GbdtClassifier({ ...options, nThreads: 1 }).fit(data, { seed: 5 });
    const multi = await new GbdtClassifier({ ...options, nThreads: 2 }).fit(data, { seed: 5 });
    expect(multi.trees[0]!.nNodes).toBeGreaterThan(40);
    expect(JSON.stringify(multi.toJSON())).toBe(JSON.stringify(single.toJSON()));
    // three threads: two workers claim chunks of the same task
    const three = await new GbdtClassifier({ ...options, nThreads: 3 }).fit(data, { seed: 5 });
    expect(JSON.stringify(three.toJSON())).toBe(JSON.stringify(single.toJSON()));
    const weighted = { ...data, weights: Float64Array.from({ length: data.nRows }, (_, i) => 0.5 + (i % 4)) };
    const singleW = await new GbdtClassifier({ ...options, numRounds: 2, nThreads: 1 }).fit(weighted, { seed: 5 });
    const multiW = await new GbdtClassifier({ ...options, numRounds: 2, nThreads: 2 }).fit(weighted, { seed: 5 });
    expect(JSON.stringify(multiW.toJSON())).toBe(JSON.stringify(singleW.toJSON()));
  });

  it('reuses a fit\'s memory for the next fit without carrying anything over', async () => {
    // the second fit takes the first one's memory (large enough, not too large), the third the
    // second's: the model of the first data set must come out the same after the other's
    const a = logisticData(25000, 8, 31, 0.05);
    const b = logisticData(20000, 9, 7, 0.2);
    const options = { numRounds: 3, numLeaves: 15, parallelMinRows: 0, nThreads: 2 };
    const first = await new GbdtClassifier(options).fit(a, { seed: 3, validation: logisticData(3000, 8, 32, 0.05) });
    await new GbdtClassifier(options).fit({ ...b, weights: Float64Array.from({ length: b.nRows }, (_, i) => 1 + (i % 3)) }, { seed: 4, validation: logisticData(4000, 9, 8, 0.2) });
    const again = await new GbdtClassifier(options).fit(a, { seed: 3, validation: logisticData(3000, 8, 32, 0.05) });
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(first.toJSON()));
  });
});
