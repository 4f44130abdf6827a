/**
 * The note under the realised-uplift chart: at the configured holdout share, how many weeks of
 * lists it takes to detect a given rise of the pay rate (two-sided two-proportion z-test,
 * α = 0.05, power 0.8), from the base pay rate observed in the control group and the number of
 * debtors that would be listed in a week.
 */
import type { Knex } from 'knex';
import { runSql } from '../../db';
import type { IsoDate } from '../../core/ids';
import { DETECTABLE_UPLIFTS, UPLIFT_TEST_ALPHA, UPLIFT_TEST_POWER, weeksToDetect, type WeeksNeeded } from './power';
import type { StoredRealisedUplift } from './store';

/** Weeks of lists needed per uplift, with what they were computed from. */
export interface DetectionWeeks {
  readonly alpha: number;
  readonly power: number;
  readonly holdoutShare: number;
  /** Pooled pay rate of the control debtors of the measured lists (of the called when there is no control yet). */
  readonly basePayRate: number | null;
  /** Debtors that would be listed per week (called + control, distinct per week), over `volumeWeeks`. */
  readonly weeklyEligible: number;
  /** Of which held out at the configured share. */
  readonly weeklyControl: number;
  readonly volumeWeeks: number;
  /** Null when there is no base rate or no list yet. */
  readonly rows: WeeksNeeded[] | null;
}

/** Pooled pay rate of the control groups of `lists`, else of their called groups; null without debtors. */
export function basePayRate(lists: readonly Pick<StoredRealisedUplift, 'called' | 'control'>[]): number | null {
  const control = lists.reduce((s, l) => ({ n: s.n + l.control.n, paid: s.paid + l.control.nPaid }), { n: 0, paid: 0 });
  if (control.n > 0) return control.paid / control.n;
  const called = lists.reduce((s, l) => ({ n: s.n + l.called.n, paid: s.paid + l.called.nPaid }), { n: 0, paid: 0 });
  return called.n > 0 ? called.paid / called.n : null;
}

/**
 * Weeks needed to detect each of `uplifts` at `holdoutShare`, from the measured `lists` (base
 * rate) and the lists published in the `volumeWeeks` weeks up to `until` (weekly volume).
 */
export async function detectionWeeks(runner: Knex, options: { until: IsoDate; holdoutShare: number; lists: readonly StoredRealisedUplift[]; volumeWeeks?: number; uplifts?: readonly number[] }): Promise<DetectionWeeks> {
  const volumeWeeks = options.volumeWeeks ?? 4;
  const { rows } = await runSql<{ weeks: number; weekly_called: number | string; weekly_control: number | string }>(runner, 'monitoring/uplift-weekly-volume', { until: options.until, weeks: volumeWeeks });
  const volume = rows[0];
  const weeklyEligible = volume ? Number(volume.weekly_called) + Number(volume.weekly_control) : 0;
  const base = basePayRate(options.lists);
  const share = options.holdoutShare;
  const usable = base !== null && base < 1 && share > 0 && share < 1 && weeklyEligible > 0;
  return {
    alpha: UPLIFT_TEST_ALPHA,
    power: UPLIFT_TEST_POWER,
    holdoutShare: share,
    basePayRate: base,
    weeklyEligible,
    weeklyControl: weeklyEligible * share,
    volumeWeeks: Number(volume?.weeks ?? 0),
    rows: usable ? weeksToDetect(base, weeklyEligible, share, options.uplifts ?? DETECTABLE_UPLIFTS) : null,
  };
}
