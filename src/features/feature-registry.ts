/**
 * The feature registry: one definition per feature of `features.debtor_features` and per feature
 * derived from them for the models. The table's columns (migrations), the insert list of
 * `sql/features/debtor-features.sql`, the model frame, the reasons shown to the call team and the
 * features table of `docs/analysts.md` are all checked against it (test/features/feature-registry*).
 * Order matters: snapshot features are listed in the table's column order.
 */

/** SQL types a feature column may have. */
export type FeatureSqlType = 'numeric(14,2)' | 'integer' | 'double precision' | 'boolean';

/** What a feature's value counts or measures. */
export type FeatureUnit = 'euro' | 'count' | 'day' | 'year' | 'share' | 'ratio' | 'flag' | 'rank';

/** One feature: where it lives, its type, whether models may learn from it, and how it is named. */
export interface FeatureDefinition {
  readonly name: string;
  /** `snapshot`: a column of features.debtor_features; `derived`: computed in the model frame. */
  readonly origin: 'snapshot' | 'derived';
  readonly sqlType: FeatureSqlType;
  /** Whether the value may be null (unknown). */
  readonly nullable: boolean;
  /**
   * Whether models may learn from it. Attributes the exports know only in their current state
   * (legal stage, dispute) are used by ranking and compliance, never for training.
   */
  readonly model: boolean;
  readonly unit: FeatureUnit;
  /** Short name shown in tables and on the dashboard. */
  readonly label: { readonly fr: string; readonly en: string };
}

const f = <N extends string, O extends 'snapshot' | 'derived'>(name: N, origin: O, sqlType: FeatureSqlType, nullable: boolean, model: boolean, unit: FeatureUnit, fr: string, en: string) =>
  ({ name, origin, sqlType, nullable, model, unit, label: { fr, en } }) as const;

/** Every feature, snapshot columns first in table order, then the derived ones. */
export const FEATURES = [
  // balances and cases
  f('balance', 'snapshot', 'numeric(14,2)', false, true, 'euro', 'Solde restant dû', 'Outstanding balance'),
  f('principal_total', 'snapshot', 'numeric(14,2)', false, true, 'euro', 'Total des créances (principal)', 'Total principal of the claims'),
  f('n_cases', 'snapshot', 'integer', false, true, 'count', 'Nombre de dossiers', 'Number of cases'),
  f('n_open_cases', 'snapshot', 'integer', false, true, 'count', 'Dossiers avec un solde', 'Cases with a balance'),
  f('legal_stage_rank', 'snapshot', 'integer', true, false, 'rank', 'Phase de procédure la plus avancée (0 amiable … 3 saisie)', 'Most advanced legal stage (0 amicable … 3 seizure)'),
  f('oldest_case_age_days', 'snapshot', 'integer', true, true, 'day', 'Âge du plus ancien dossier', 'Age of the oldest case'),
  f('newest_case_age_days', 'snapshot', 'integer', true, true, 'day', 'Âge du dossier le plus récent', 'Age of the newest case'),
  f('paid_share', 'snapshot', 'double precision', true, true, 'share', 'Part de la dette déjà payée', 'Share of the debt already paid'),
  // payments
  f('n_payments_90d', 'snapshot', 'integer', false, true, 'count', 'Paiements sur 90 jours', 'Payments in 90 days'),
  f('amount_paid_90d', 'snapshot', 'numeric(14,2)', false, true, 'euro', 'Montant payé sur 90 jours', 'Amount paid in 90 days'),
  f('n_payments_365d', 'snapshot', 'integer', false, true, 'count', 'Paiements sur 12 mois', 'Payments in 12 months'),
  f('amount_paid_365d', 'snapshot', 'numeric(14,2)', false, true, 'euro', 'Montant payé sur 12 mois', 'Amount paid in 12 months'),
  f('days_since_last_payment', 'snapshot', 'integer', true, true, 'day', 'Jours depuis le dernier paiement', 'Days since the last payment'),
  f('last_payment_amount', 'snapshot', 'numeric(14,2)', true, true, 'euro', 'Montant du dernier paiement', 'Amount of the last payment'),
  f('avg_payment_amount', 'snapshot', 'numeric(14,2)', true, true, 'euro', 'Paiement moyen', 'Average payment'),
  // calls
  f('n_calls_30d', 'snapshot', 'integer', false, true, 'count', 'Appels sur 30 jours', 'Calls in 30 days'),
  f('n_calls_90d', 'snapshot', 'integer', false, true, 'count', 'Appels sur 90 jours', 'Calls in 90 days'),
  f('n_contacts_90d', 'snapshot', 'integer', false, true, 'count', 'Échanges avec le débiteur sur 90 jours', 'Conversations with the debtor in 90 days'),
  f('contact_rate_90d', 'snapshot', 'double precision', true, true, 'share', 'Part des appels aboutis sur 90 jours', 'Share of calls that reached the debtor in 90 days'),
  f('days_since_last_contact', 'snapshot', 'integer', true, true, 'day', 'Jours depuis le dernier échange', 'Days since the last conversation'),
  f('n_wrong_number_90d', 'snapshot', 'integer', false, true, 'count', 'Faux numéros sur 90 jours', 'Wrong numbers in 90 days'),
  f('n_refusals_365d', 'snapshot', 'integer', false, true, 'count', 'Refus sur 12 mois', 'Refusals in 12 months'),
  // promises
  f('n_promises_365d', 'snapshot', 'integer', false, true, 'count', 'Promesses sur 12 mois', 'Promises in 12 months'),
  f('n_promises_kept_365d', 'snapshot', 'integer', false, true, 'count', 'Promesses tenues sur 12 mois', 'Promises kept in 12 months'),
  f('promise_keep_rate', 'snapshot', 'double precision', true, true, 'share', 'Part des promesses tenues', 'Share of promises kept'),
  f('days_since_last_promise', 'snapshot', 'integer', true, true, 'day', 'Jours depuis la dernière promesse', 'Days since the last promise'),
  f('open_promise_amount', 'snapshot', 'numeric(14,2)', false, true, 'euro', 'Montant des promesses en cours', 'Amount of open promises'),
  // debtor
  f('age_years', 'snapshot', 'integer', true, true, 'year', 'Âge du débiteur', "Debtor's age"),
  f('n_valid_phones', 'snapshot', 'integer', false, true, 'count', 'Numéros de téléphone valides', 'Valid phone numbers'),
  f('has_valid_mobile', 'snapshot', 'boolean', false, true, 'flag', 'A un mobile valide', 'Has a valid mobile number'),
  f('disputed_any', 'snapshot', 'boolean', false, false, 'flag', 'A un dossier contesté', 'Has a disputed case'),
  f('overseas', 'snapshot', 'boolean', false, true, 'flag', "Domicilié en outre-mer", 'Lives overseas'),
  // derived in the model frame (src/features/model-frame.ts)
  f('paid_365d_to_balance', 'derived', 'double precision', true, true, 'ratio', 'Payé sur 12 mois rapporté au solde', 'Paid in 12 months over the balance'),
  f('open_promise_to_balance', 'derived', 'double precision', true, true, 'ratio', 'Promesses en cours rapportées au solde', 'Open promises over the balance'),
  f('contacts_per_case_90d', 'derived', 'double precision', true, true, 'ratio', 'Échanges par dossier sur 90 jours', 'Conversations per case in 90 days'),
] as const satisfies readonly FeatureDefinition[];

/** The name of a registered feature. */
export type FeatureName = (typeof FEATURES)[number]['name'];

/** The name of a feature derived in the model frame. */
export type DerivedFeatureName = Extract<(typeof FEATURES)[number], { origin: 'derived' }>['name'];

/** Languages of labels and phrases. */
export type FeatureLanguage = 'fr' | 'en';

const BY_NAME: ReadonlyMap<string, FeatureDefinition> = (() => {
  const map = new Map<string, FeatureDefinition>();
  for (const d of FEATURES) {
    if (map.has(d.name)) throw new Error(`feature ${d.name} is defined twice in the registry`);
    map.set(d.name, d);
  }
  return map;
})();

/** The definition of a feature, or undefined for a name the registry does not know. */
export function featureDefinition(name: string): FeatureDefinition | undefined {
  return BY_NAME.get(name);
}

/**
 * The short name of a feature in French (default) or English, for tables and the dashboard; an
 * unknown name is shown as itself with spaces for underscores.
 */
export function featureLabel(name: string, lang: FeatureLanguage = 'fr'): string {
  return BY_NAME.get(name)?.label[lang] ?? name.replace(/_/g, ' ');
}
