import { ValidationError } from '../core/errors';
import type { Classifier, FittedModel, SerializedModel } from './classifier';
import { storedCalibration, withCalibration } from './calibrated-model';
import { GbdtClassifier, loadGbdt, type GbdtOptions } from './gbdt';
import { LogisticClassifier, loadLogistic, type LogisticOptions } from './logistic';

/** The model kinds relance trains. */
export type ModelKind = 'logistic' | 'gbdt';

/** Hyper-parameters per kind. */
export interface ModelKindOptions {
  logistic?: LogisticOptions;
  gbdt?: GbdtOptions;
}

/** A classifier of the given kind with its options bound. */
export function classifierFor(kind: ModelKind, options: ModelKindOptions = {}): Classifier {
  switch (kind) {
    case 'logistic':
      return new LogisticClassifier(options.logistic);
    case 'gbdt':
      return new GbdtClassifier(options.gbdt);
    default:
      throw new ValidationError(`unknown model kind ${String(kind)}: expected logistic or gbdt`, { context: { field: 'kind' } });
  }
}

/** A fitted model back from its JSON, whatever its kind, with its calibration when it has one. */
export function loadFittedModel(json: SerializedModel): FittedModel {
  switch (json.kind) {
    case 'logistic':
      return withCalibration(loadLogistic(json), storedCalibration(json));
    case 'gbdt':
      return withCalibration(loadGbdt(json), storedCalibration(json));
    default:
      throw new ValidationError(`unknown model kind ${String(json.kind)} in a stored model`, { context: { field: 'kind' } });
  }
}
