/** Boosting-level behaviour: threads do not change the model, early stopping keeps the best round. */
import { GbdtClassifier, GbdtModel } from '../../../src/model/gbdt';
import { logLoss, logisticData, matrix, sliceRows } from './synthetic';

describe('GBDT boosting', () => {
  it('builds the same model on two threads as on one', async () => {
    const data = logisticData(20000, 8, 31, 0.05);
    const options = { numRounds: 8, numLeaves: 31, minDataInLeaf: 20, subsample: 0.8, colsample: 0.75, parallelMinRows: 0 };
    const single = await new GbdtClassifier({ ...options, nThreads: 1 }).fit(data, { seed: 5 });
    const multi = await new GbdtClassifier({ ...options, nThreads: 2 }).fit(data, { seed: 5 });
    expect(multi.trees[0]!.nNodes).toBeGreaterThan(40);
    expect(JSON.stringify(multi.toJSON())).toBe(JSON.stringify(single.toJSON()));
  });

  it('stops when the validation loss has not improved for `earlyStoppingRounds` and keeps the best round', async () => {
    const data = logisticData(3000, 6, 32, 0.05);
    const train = sliceRows(data, 0, 2000);
    const valid = sliceRows(data, 2000, 3000);
    const options = { numRounds: 400, learningRate: 0.3, numLeaves: 31, minDataInLeaf: 5, nThreads: 1 };
    const stopped = await new GbdtClassifier({ ...options, earlyStoppingRounds: 10 }).fit(train, { validation: valid, seed: 9 });
    const full = await new GbdtClassifier({ ...options, numRounds: 150, earlyStoppingRounds: 0 }).fit(train, { validation: valid, seed: 9 });
    expect(full.trees.length).toBe(150);
    // Reference: replay the rule on the full model's prefixes.
    let best = Infinity;
    let bestRound = -1;
    for (let k = 1; k <= full.trees.length; k++) {
      const loss = logLoss(new GbdtModel(full.featureNames, full.baseScore, full.trees.slice(0, k)).predictProba(matrix(valid)), valid.y);
      if (loss < best) [best, bestRound] = [loss, k - 1];
      else if (k - 1 - bestRound >= 10) break;
    }
    expect(bestRound).toBeLessThan(100);
    expect(stopped.trees.length).toBe(bestRound + 1);
    expect(JSON.stringify(stopped.trees)).toBe(JSON.stringify(full.trees.slice(0, bestRound + 1)));
  });

  it('learns: holdout log-loss well below the base rate model', async () => {
    const data = logisticData(6000, 6, 33, 0.05);
    const train = sliceRows(data, 0, 4000);
    const test = sliceRows(data, 4000, 6000);
    const model = await new GbdtClassifier({ numRounds: 100, learningRate: 0.1, minDataInLeaf: 20, nThreads: 1 }).fit(train);
    const rate = train.y.reduce((a, b) => a + b, 0) / train.nRows;
    const baseLoss = logLoss(new Float64Array(test.nRows).fill(rate), test.y);
    expect(logLoss(model.predictProba(matrix(test)), test.y)).toBeLessThan(baseLoss - 0.1);
  });
});
