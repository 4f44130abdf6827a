/** Realised uplift of the call lists against the control group: intervals, power and the per-list comparison. */
export { normalQuantile, regularizedBeta, studentTCdf, studentTQuantile } from './distributions';
export { newcombeInterval, wilsonInterval, type Interval } from './proportion-difference';
export { moments, welchInterval, type GroupMoments, type WelchInterval } from './welch';
export { DETECTABLE_UPLIFTS, UPLIFT_TEST_ALPHA, UPLIFT_TEST_POWER, twoProportionSampleSize, weeksToDetect, type PowerOptions, type TwoProportionSampleSize, type WeeksNeeded } from './power';
export { realisedUplift, type ArmOutcome, type RealisedUpliftResult } from './realised-uplift';
export { listRealisedUplift, saveRealisedUplift, type StoredRealisedUplift } from './store';
export { basePayRate, detectionWeeks, type DetectionWeeks } from './detection-weeks';
