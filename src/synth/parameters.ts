/**
 * The numbers of the generative model, in one place. Traits are on a standard-normal scale;
 * money is in cents; hazards are per day.
 */
export const MODEL = {
  /** Log of the baseline daily hazard of a spontaneous payment. */
  payBase: -5.5,
  /** Effect of ability (means) on the log hazard. */
  payAbility: 0.75,
  /** Effect of willingness on the log hazard. */
  payWillingness: 0.85,
  /** Effect of log(open balance / 1000 EUR) on the log hazard: big debts discourage. */
  payBalance: -0.3,
  /** Log hazard shift by legal stage (AMI, INJ, TIT, SAI): a seizure makes money move. */
  payStage: [0, -0.1, 0.05, 0.45],
  /** Upper bound of the daily hazard. */
  payMaxHazard: 0.5,
  /** Days after a payment during which the debtor neither pays again nor gets called. */
  refractoryDays: 30,
  /** Habit: a payer's hazard is multiplied by 1 + habitBoost·exp(-(days since payment - 30)/habitDays). */
  habitBoost: 2.5,
  habitDays: 50,
  /** Never paid: hazard multiplied by neverPaid·(1 + freshBoost·exp(-days since latest case opened/freshDays)). */
  neverPaid: 0.55,
  freshBoost: 2.5,
  freshDays: 35,
  /** Probability that a spontaneous payment settles the whole case when its balance is small. */
  payInFullSmall: 0.5,
  /** Same when the balance exceeds `smallBalanceInstalments` instalments. */
  payInFullLarge: 0.04,
  smallBalanceInstalments: 3,
  /** Instalment multipliers, equally likely, for partial payments and promises. */
  instalmentMultipliers: [0.5, 0.75, 1, 1, 1.5, 2],
  /** Daily call probability at a 1000 EUR balance on a full weekday. */
  callBase: 0.035,
  /** Calls grow with balance as (balance/1000)^callBalancePower. */
  callBalancePower: 0.35,
  /** Call intensity by legal stage (AMI, INJ, TIT, SAI). */
  callStage: [1.3, 1.0, 0.8, 0.6],
  /** Upper bound of the daily call probability. */
  callMax: 0.6,
  /** Start hours of the office's calls (9h..19h) and their weights: the usual calling policy. */
  callHours: [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
  callHourWeights: [1, 1.2, 1.2, 0.6, 0.6, 1.1, 1.1, 1.1, 1.0, 0.8, 0.5],
  /**
   * Promise given a right-party contact:
   * logistic(promiseBase + promiseWillingness·w + promiseResponsiveness·ρ + promisePutOffProne·[put-off prone]).
   */
  promiseBase: -0.8,
  promiseWillingness: 0.45,
  /** Effect of responsiveness ρ (standard normal, independent of ability and willingness) on a promise. */
  promiseResponsiveness: 1.1,
  /** Promise logit shift of the persons whom a call puts off. */
  promisePutOffProne: -1.5,
  /** Refusal given a contact without promise: logistic(refusalBase - refusalWillingness·w). */
  refusalBase: -1.2,
  refusalWillingness: 0.8,
  /** Promise kept: logistic(keepBase + keepAbility·a + keepWillingness·w + keepResponsiveness·ρ). */
  keepBase: 0.1,
  keepAbility: 0.5,
  keepWillingness: 0.4,
  keepResponsiveness: 0.9,
  /** Share of persons whom a right-party contact without promise puts off ("do-not-disturb"). */
  putOffShare: 0.08,
  /** Multiplier of their spontaneous hazard while put off. */
  putOffFactor: 0.25,
  /**
   * Days after such a contact during which they are put off. At least the 30-day truth window, so
   * that a contact inside the window puts them off until its end (the truth relies on it).
   */
  putOffDays: 45,
  /** Share of kept promises paid 0, 1, 2, 3 days after the due date. */
  keepLateness: [0.6, 0.2, 0.12, 0.08],
  /** Due date of a promise: uniformly 3..15 days after the call. */
  promiseDelayMin: 3,
  promiseDelayMax: 15,
  /** Monthly persistence and stationary sd of the traits' drift around their base level. */
  driftPersistence: 0.93,
  driftSd: 0.45,
  /** Fees added when a case escalates to INJ, TIT, SAI (cents). */
  escalationFees: [0, 9000, 15000, 25000],
} as const;

/** Number of pending-promise states: days left until the end of the keep window. */
export const MAX_PENDING = MODEL.promiseDelayMax + MODEL.keepLateness.length - 1;

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Conditional probability that a promise is kept on lateness day `j` (0..3) given not kept before,
 * when the overall probability of keeping it is `keep`.
 */
export function keepHazard(j: number, keep: number): number {
  const w = MODEL.keepLateness;
  let before = 0;
  for (let i = 0; i < j; i++) before += w[i] as number;
  const denominator = 1 - keep * before;
  return denominator <= 0 ? 0 : (keep * (w[j] as number)) / denominator;
}
