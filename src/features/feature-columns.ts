/**
 * The columns of `features.debtor_features` that models learn from, and the ones they must not.
 * `legal_stage_rank` and `disputed_any` are known only in their current state (the export holds no
 * history of them), so they are used by ranking and compliance but never for training.
 */
export const SNAPSHOT_FEATURES = [
  'balance',
  'principal_total',
  'n_cases',
  'n_open_cases',
  'oldest_case_age_days',
  'newest_case_age_days',
  'paid_share',
  'n_payments_90d',
  'amount_paid_90d',
  'n_payments_365d',
  'amount_paid_365d',
  'days_since_last_payment',
  'last_payment_amount',
  'avg_payment_amount',
  'n_calls_30d',
  'n_calls_90d',
  'n_contacts_90d',
  'contact_rate_90d',
  'days_since_last_contact',
  'n_wrong_number_90d',
  'n_refusals_365d',
  'n_promises_365d',
  'n_promises_kept_365d',
  'promise_keep_rate',
  'days_since_last_promise',
  'open_promise_amount',
  'age_years',
  'n_valid_phones',
  'has_valid_mobile',
  'overseas',
] as const;

/** Features derived from the snapshot columns in {@link toModelFrame} (Arquero). */
export const DERIVED_FEATURES = ['paid_365d_to_balance', 'open_promise_to_balance', 'contacts_per_case_90d'] as const;

/** Every feature a model sees, in matrix column order. */
export const MODEL_FEATURES: readonly string[] = [...SNAPSHOT_FEATURES, ...DERIVED_FEATURES];

/** A row of `features.debtor_features` as read back from the database. */
export type FeatureRow = { as_of: string; debtor_id: string } & Record<string, unknown>;
