/**
 * Gradient-boosted trees for binary classification (LightGBM-style histogram boosting):
 * - features are binned to at most 255 quantile bins plus a missing bin; every split learns the
 *   direction of missing values;
 * - categorical columns (`Dataset.categorical`) split on a category set found by ordering the
 *   categories by Σgradient / (Σhessian + catSmooth), as LightGBM does, not one-vs-rest;
 * - trees grow leaf-wise; histograms are built on worker threads over shared memory, the larger
 *   child's by subtraction;
 * - node cover is the sum of sample weights of the in-bag training rows (the row count when
 *   unweighted), which path-dependent TreeSHAP uses for its conditional expectations.
 */
export { GbdtClassifier } from './gbdt-classifier';
export { GbdtModel, loadGbdt, type GbdtModelJson } from './gbdt-model';
export { closePredictionPool } from './predict-pool';
export { GBDT_DEFAULTS, type GbdtOptions, type ResolvedGbdtOptions } from './options';
export type { TreeJson } from './tree';
