/** Boosting-level behaviour: early stopping keeps the best round, and the model learns. */
import { GbdtClassifier, GbdtModel } from '../../../src/model/gbdt';
import { logLoss, logisticData, matrix, sliceRows } from './synthetic';

describe('GBDT boosting', () => {
  it('stops when the validation loss has not improved for `earlyStoppingRounds` and keeps the best round', async () => {
    const data = logisticData(3000, 6, 32, 0.05);
    const train = sliceRows(data, 0, 2000);
    const valid = sliceRows(data, 2000, 3000);
    const options = { numRounds: 400, learningRate: 0.3, numLeaves: 31, minDataInLeaf: 5, nThreads: 1 };
    const stopped = await new GbdtClassifier({ ...options, earlyStoppingRounds: 10 }).fit(train, { validation: valid, seed: 9 });
    const full = await new GbdtClassifier({ ...options, numRounds: 60, earlyStoppingRounds: 0 }).fit(train, { validation: valid, seed: 9 });
    expect(full.trees.length).toBe(60);
    // Reference: replay the rule on the full model's prefixes.
    let best = Infinity;
    let bestRound = -1;
    for (let k = 1; k <= full.trees.length; k++) {
      const loss = logLoss(new GbdtModel(full.featureNames, full.baseScore, full.trees.slice(0, k)).predictProba(matrix(valid)), valid.y);
      if (loss < best) [best, bestRound] = [loss, k - 1];
      else if (k - 1 - bestRound >= 10) break;
    }
    // The rule must have fired inside the replayed prefix, well before numRounds.
    expect(bestRound + 10).toBeLessThan(60);
    expect(stopped.trees.length).toBe(bestRound + 1);
    expect(JSON.stringify(stopped.trees)).toBe(JSON.stringify(full.trees.slice(0, bestRound + 1)));
  });

  it('learns: holdout log-loss well below the base rate model', async () => {
    const data = logisticData(6000, 6, 33, 0.05);
    const train = sliceRows(data, 0, 4000);
    const test = sliceRows(data, 4000, 6000);
    const model = await new GbdtClassifier({ numRounds: 50, learningRate: 0.2, minDataInLeaf: 20, nThreads: 1 }).fit(train);
    const rate = train.y.reduce((a, b) => a + b, 0) / train.nRows;
    const baseLoss = logLoss(new Float64Array(test.nRows).fill(rate), test.y);
    expect(logLoss(model.predictProba(matrix(test)), test.y)).toBeLessThan(baseLoss - 0.1);
  });
});
