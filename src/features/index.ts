export { FEATURES, featureDefinition, featureLabel, type FeatureDefinition, type FeatureName, type DerivedFeatureName, type FeatureLanguage, type FeatureSqlType, type FeatureUnit } from './feature-registry';
export { featurePhrase, featurePhrases, type FeaturePhrase } from './feature-phrases';
export { featureDocTable } from './feature-doc';
export { SNAPSHOT_COLUMNS, SNAPSHOT_FEATURES, DERIVED_FEATURES, MODEL_FEATURES, type FeatureRow } from './feature-columns';
export { toModelFrame, selectFeatures, type ModelFrame } from './model-frame';
export { trainingSnapshotDates } from './snapshot-dates';
export { computeFeatureSnapshot, computeLabels, readFeatureRows, readFeatureBatches, readFeatureRowsOf, readLabels, latestEventDate, type SnapshotOptions } from './snapshots';
export { readTrainingSets, readSnapshotSample, keptForFit, type TrainingSets, type TrainingSetsOptions, type LabelledMatrix } from './training-sets';
