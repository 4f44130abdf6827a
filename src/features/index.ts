export { SNAPSHOT_FEATURES, DERIVED_FEATURES, MODEL_FEATURES, type FeatureRow } from './feature-columns';
export { toModelFrame, type ModelFrame } from './model-frame';
export { trainingSnapshotDates } from './snapshot-dates';
export { computeFeatureSnapshot, computeLabels, readFeatureRows, readFeatureBatches, readFeatureRowsOf, readLabels, latestEventDate, type SnapshotOptions } from './snapshots';
export { readTrainingSets, readSnapshotSample, keptForFit, type TrainingSets, type TrainingSetsOptions, type LabelledMatrix } from './training-sets';
