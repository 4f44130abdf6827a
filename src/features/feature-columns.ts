/**
 * The feature lists the code reads, all taken from the registry ({@link FEATURES}): the snapshot
 * columns models learn from, the derived ones, and the two together in matrix column order.
 * `legal_stage_rank` and `disputed_any` are known only in their current state (the export holds no
 * history of them), so they are used by ranking and compliance but never for training.
 */
import { FEATURES, type DerivedFeatureName } from './feature-registry';

/** Every column of `features.debtor_features` that holds a feature, in table order. */
export const SNAPSHOT_COLUMNS: readonly string[] = FEATURES.filter((d) => d.origin === 'snapshot').map((d) => d.name);

/** Snapshot columns models learn from, in table order. */
export const SNAPSHOT_FEATURES: readonly string[] = FEATURES.filter((d) => d.origin === 'snapshot' && d.model).map((d) => d.name);

/** Features derived from the snapshot columns in {@link toModelFrame} (Arquero). */
export const DERIVED_FEATURES: readonly DerivedFeatureName[] = FEATURES.filter((d): d is Extract<(typeof FEATURES)[number], { origin: 'derived' }> => d.origin === 'derived').map((d) => d.name);

/** Every feature a model sees, in matrix column order. */
export const MODEL_FEATURES: readonly string[] = [...SNAPSHOT_FEATURES, ...DERIVED_FEATURES.filter((name) => FEATURES.find((d) => d.name === name)?.model)];

/** A row of `features.debtor_features` as read back from the database. */
export type FeatureRow = { as_of: string; debtor_id: string } & Record<string, unknown>;
