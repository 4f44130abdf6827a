/**
 * Batch prediction throughput of a fitted GBDT on a large batch (the test rows tiled to `nRows`),
 * on one thread and on every core, through the coded forest the model itself uses. Each figure is
 * the median of `repeat` calls after one warm-up call; the forest is built before timing.
 */
import { cpus } from 'node:os';
import type { FeatureMatrix } from '../../src/model/classifier';
import { CodedForest } from '../../src/model/gbdt/coded-forest';
import type { GbdtModel } from '../../src/model/gbdt';

/** Rows/s of one thread and of all threads (the prediction pool's workers plus the caller). */
export interface Throughput {
  readonly rows: number;
  readonly threads: number;
  readonly oneThread: number;
  readonly allThreads: number;
  /** predictProba as callers see it (threads chosen by the load; includes σ). */
  readonly predictProba: number;
}

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2; };

/** Tiles `x` to `nRows` rows and times batch prediction. */
export function predictThroughput(model: GbdtModel, x: FeatureMatrix, nRows = 1_000_000, repeat = 5): Throughput {
  const data = new Float64Array(nRows * x.nCols);
  for (let at = 0; at < data.length; at += x.data.length) data.set(x.data.subarray(0, Math.min(x.data.length, data.length - at)), at);
  const forest = CodedForest.tryBuild(model.trees, x.nCols);
  if (!forest) throw new Error('the model has no coded forest');
  const time = (run: () => void): number => {
    run();
    const times: number[] = [];
    for (let k = 0; k < repeat; k++) {
      const t0 = performance.now();
      run();
      times.push((performance.now() - t0) / 1000);
    }
    return nRows / median(times);
  };
  const out = new Float64Array(nRows);
  const matrix = { nRows, nCols: x.nCols, data };
  return {
    rows: nRows,
    threads: cpus().length,
    oneThread: time(() => forest.addRaw(data, x.nCols, nRows, out.fill(model.baseScore), false)),
    allThreads: time(() => forest.addRaw(data, x.nCols, nRows, out.fill(model.baseScore), true)),
    predictProba: time(() => model.predictProba(matrix)),
  };
}

/** One line of a results table. */
export function throughputLine(name: string, t: Throughput, trees: number): string {
  const m = (r: number) => `${(r / 1e6).toFixed(2)} M`;
  return `| ${name} | ${trees} | ${t.rows.toLocaleString('en')} | ${m(t.oneThread)} | ${m(t.allThreads)} (${t.threads}) | ${m(t.predictProba)} |`;
}
