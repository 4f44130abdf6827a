import { z } from 'zod';

/** Labels, training and the business cost used to pick the decision threshold. */
export const scoringSchema = z
  .object({
    /** Days after the as-of date in which a payment counts as "paid". */
    horizonDays: z.number().int().positive().default(30),
    /** Smallest total paid in the horizon that counts as "paid", in euros. */
    minPaidAmount: z.number().nonnegative().default(1),
    /** Number of monthly training snapshots before the run date. */
    trainingSnapshots: z.number().int().min(2).default(12),
    /**
     * Most rows the models are fitted on: when the older snapshots hold more, a fixed uniform
     * share of them is kept (by a hash of debtor and date). @defaultValue 1000000
     */
    maxFitRows: z.number().int().positive().default(1_000_000),
    /**
     * Most rows kept of each of the validation and test snapshots, sampled the same way: early
     * stopping, the threshold, the holdout metrics and the champion's comparison are read on
     * them. 250,000 rows put the AUC's standard error near 0.001 and keep the retrain of a
     * million-debtor office under 2 GB. @defaultValue 250000
     */
    maxHoldoutRows: z.number().int().positive().default(250_000),
    /** Model kinds trained; the best on the time holdout becomes champion. */
    models: z.array(z.enum(['logistic', 'gbdt'])).min(1).default(['logistic', 'gbdt']),
    calibration: z
      .object({
        /**
         * How office models' probabilities are calibrated: `platt` (a logistic on the score's
         * logit, keeps the ranking), `isotonic` (a non-decreasing step function), or `none`.
         * @defaultValue 'platt'
         */
        method: z.enum(['platt', 'isotonic', 'none']).default('platt'),
        /**
         * The predictions the calibration is fitted on: `out_of_fold` (the training rows, each
         * predicted by a model refitted without its fold: `folds` more fits per kind) or
         * `validation` (the validation snapshot, the newest before the test, predicted by the
         * model itself: no extra fit). @defaultValue 'out_of_fold'
         */
        on: z.enum(['out_of_fold', 'validation']).default('out_of_fold'),
        /** Folds (by debtor) over the training rows whose out-of-fold predictions fit the calibration (`on: out_of_fold`). @defaultValue 3 */
        folds: z.number().int().min(2).max(10).default(3),
      })
      .prefault({}),
    costs: z
      .object({
        /** Cost of not calling a debtor who would have paid. */
        missedPayer: z.number().positive().default(10),
        /** Cost of a call to a debtor who does not pay. */
        wastedCall: z.number().positive().default(1),
      })
      .prefault({}),
  })
  .prefault({});
