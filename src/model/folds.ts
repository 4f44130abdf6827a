/**
 * Train/test splits: stratified k-fold (seeded), splits from an external fold assignment, and a
 * time-based holdout (train on older snapshots, test on the newest).
 */
import { Rng } from '../core/rng';

/** One train/test split as row indices (ascending). */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * A fold 0…k−1 per row such that each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of each class c; rows are
 * shuffled within class with a seeded {@link Rng}. @defaultValue seed 42
 */
export function stratifiedFolds(y: ArrayLike<number>, k: number, seed = 42): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${k}`);
  if (y.length < k) throw new RangeError(`folds (${k}) exceeds the number of rows (${y.length})`);
  const rng = new Rng(seed);
  const folds = new Int32Array(y.length);
  let offset = 0;
  for (const label of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if ((y[i] === 1 ? 1 : 0) === label) rows.push(i);
    rng.shuffle(rows);
    // continue the round-robin across classes so fold sizes stay balanced overall
    rows.forEach((row, r) => { folds[row] = (r + offset) % k; });
    offset = (offset + rows.length) % k;
  }
  return folds;
}

/** One split per distinct fold value: that fold is the test set, the others the training set. */
export function splitsFromFolds(folds: ArrayLike<number>): Split[] {
  const ids = [...new Set(Array.from(folds))].sort((a, b) => a - b);
  if (ids.length < 2) throw new RangeError(`a fold assignment needs at least 2 folds, got ${ids.length}`);
  return ids.map((f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < folds.length; i++) (folds[i] === f ? test : train).push(i);
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/**
 * Time holdout: rows whose group (snapshot date as a number, e.g. epoch ms or yyyymmdd) is among
 * the `testGroups` newest distinct values form the test set; all strictly older rows the training
 * set. Rows with a missing group are refused. @defaultValue testGroups 1
 */
export function timeHoldoutSplit(groups: ArrayLike<number>, testGroups = 1): Split {
  if (!Number.isInteger(testGroups) || testGroups < 1) throw new RangeError(`testGroups must be a positive integer, got ${testGroups}`);
  for (let i = 0; i < groups.length; i++) {
    if (Number.isNaN(groups[i] as number)) throw new RangeError(`time holdout: row ${i} has no group/date value`);
  }
  const distinct = [...new Set(Array.from(groups))].sort((a, b) => a - b);
  if (distinct.length <= testGroups) throw new RangeError(`time holdout needs more than ${testGroups} distinct groups, got ${distinct.length}`);
  const cut = distinct[distinct.length - testGroups] as number;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < groups.length; i++) ((groups[i] as number) >= cut ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
