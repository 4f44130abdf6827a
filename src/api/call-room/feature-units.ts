/**
 * The unit of each model feature, so that the page writes `1 234 €`, `45 jours`, `30 %` or `oui`
 * next to the feature's French name (names are in the `debtor` message catalogue, key
 * `feature.<name>`).
 */

/** How a feature's value is written. */
export type FeatureUnit = 'euro' | 'days' | 'count' | 'share' | 'years' | 'flag' | 'number';

const UNITS: Readonly<Record<string, FeatureUnit>> = {
  balance: 'euro',
  principal_total: 'euro',
  amount_paid_90d: 'euro',
  amount_paid_365d: 'euro',
  last_payment_amount: 'euro',
  avg_payment_amount: 'euro',
  open_promise_amount: 'euro',
  oldest_case_age_days: 'days',
  newest_case_age_days: 'days',
  days_since_last_payment: 'days',
  days_since_last_contact: 'days',
  days_since_last_promise: 'days',
  paid_share: 'share',
  contact_rate_90d: 'share',
  promise_keep_rate: 'share',
  paid_365d_to_balance: 'share',
  open_promise_to_balance: 'share',
  age_years: 'years',
  has_valid_mobile: 'flag',
  overseas: 'flag',
  disputed_any: 'flag',
  contacts_per_case_90d: 'number',
  legal_stage_rank: 'number',
};

/** The unit of `feature`: counts for the `n_…` features, a plain number when unknown. */
export function unitOf(feature: string): FeatureUnit {
  return UNITS[feature] ?? (feature.startsWith('n_') ? 'count' : 'number');
}
