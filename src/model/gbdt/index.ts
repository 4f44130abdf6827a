/**
 * Gradient-boosted trees for binary classification: histogram training on worker threads, exact
 * TreeSHAP explanations, compact JSON serialisation.
 */
export { GbdtClassifier } from './gbdt-classifier';
export { GbdtModel, loadGbdt, type GbdtModelJson } from './gbdt-model';
export { closePredictionPool } from './predict-pool';
export { GBDT_DEFAULTS, type GbdtOptions, type ResolvedGbdtOptions } from './options';
export type { TreeJson } from './tree';
