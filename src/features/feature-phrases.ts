/**
 * What a feature's value says, in plain French and English: the phrases the call team reads in
 * the reasons of a score and on the dashboard. One phrase per registered feature (typed by the
 * registry's names, so a new feature without its phrase does not compile); a phrase is undefined
 * when the value says nothing worth reading (no payment, no contact).
 */
import { featureDefinition, type FeatureLanguage, type FeatureName } from './feature-registry';

/** A phrase in both languages, with the theme it belongs to (one reason per theme). */
export interface FeaturePhrase {
  readonly theme: string;
  readonly fr: string;
  readonly en: string;
}

/** Euros in French: `1 200 €`. */
export const eurFr = (x: number): string => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(x).replace(/\u202f/g, ' ')} €`;
/** Euros in English: `€1,200`. */
export const eurEn = (x: number): string => `€${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(x)}`;
/** Singular or plural by count. */
export const plural = (n: number, one: string, many: string): string => (Math.abs(n) === 1 ? one : many);
const pct = (x: number): number => Math.round(x * 100);

type PhraseOf = (v: number, n: number) => FeaturePhrase | undefined;

const days = (theme: string, fr: string, en: string): PhraseOf => (_v, n) => ({ theme, fr: `${fr} il y a ${n} ${plural(n, 'jour', 'jours')}`, en: `${en} ${n} ${plural(n, 'day', 'days')} ago` });

const STAGES_FR = ['phase amiable', 'injonction de payer', 'titre exécutoire', 'saisie'];
const STAGES_EN = ['amicable stage', 'payment order', 'enforceable title', 'seizure'];

const PHRASES: Record<FeatureName, PhraseOf> = {
  balance: (v) => ({ theme: 'balance', fr: `solde de ${eurFr(v)}`, en: `balance of ${eurEn(v)}` }),
  principal_total: (v) => ({ theme: 'balance', fr: `créance de ${eurFr(v)}`, en: `claim of ${eurEn(v)}` }),
  n_cases: (_v, n) => ({ theme: 'cases', fr: `${n} ${plural(n, 'dossier', 'dossiers')}`, en: `${n} ${plural(n, 'case', 'cases')}` }),
  n_open_cases: (_v, n) => ({ theme: 'cases', fr: `${n} ${plural(n, 'dossier', 'dossiers')}`, en: `${n} ${plural(n, 'case', 'cases')}` }),
  legal_stage_rank: (_v, n) => (STAGES_FR[n] ? { theme: 'legal_stage', fr: STAGES_FR[n] as string, en: STAGES_EN[n] as string } : undefined),
  oldest_case_age_days: days('case_age', 'dossier ouvert', 'case opened'),
  newest_case_age_days: days('case_age', 'dossier ouvert', 'case opened'),
  paid_share: (v) => (v > 0 ? { theme: 'paid_share', fr: `${pct(v)} % de la dette déjà réglés`, en: `${pct(v)}% of the debt already paid` } : undefined),
  n_payments_90d: (_v, n) => (n > 0 ? { theme: 'payment', fr: `${n} ${plural(n, 'paiement', 'paiements')} ces 90 derniers jours`, en: `${n} ${plural(n, 'payment', 'payments')} in the last 90 days` } : undefined),
  amount_paid_90d: (v) => (v > 0 ? { theme: 'payment', fr: `${eurFr(v)} payés ces 90 derniers jours`, en: `${eurEn(v)} paid in the last 90 days` } : undefined),
  n_payments_365d: (_v, n) => (n > 0 ? { theme: 'payment_year', fr: `${n} ${plural(n, 'paiement', 'paiements')} en 12 mois`, en: `${n} ${plural(n, 'payment', 'payments')} in 12 months` } : undefined),
  amount_paid_365d: (v) => (v > 0 ? { theme: 'payment_year', fr: `${eurFr(v)} payés en 12 mois`, en: `${eurEn(v)} paid in 12 months` } : undefined),
  days_since_last_payment: (_v, n) => ({ theme: 'payment', fr: `paiement il y a ${n} ${plural(n, 'jour', 'jours')}`, en: `payment ${n} ${plural(n, 'day', 'days')} ago` }),
  last_payment_amount: (v) => ({ theme: 'payment', fr: `dernier paiement de ${eurFr(v)}`, en: `last payment of ${eurEn(v)}` }),
  avg_payment_amount: (v) => ({ theme: 'payment_size', fr: `paiements de ${eurFr(v)} en moyenne`, en: `payments of ${eurEn(v)} on average` }),
  n_calls_30d: (_v, n) => (n === 0 ? { theme: 'calls', fr: 'pas appelé récemment', en: 'not called recently' } : undefined),
  n_calls_90d: (_v, n) => (n === 0 ? { theme: 'calls', fr: 'pas appelé récemment', en: 'not called recently' } : undefined),
  n_contacts_90d: (_v, n) => (n > 0 ? { theme: 'contact', fr: `joint ${n} fois ces 90 derniers jours`, en: `reached ${n} ${plural(n, 'time', 'times')} in the last 90 days` } : undefined),
  contact_rate_90d: (v) => (v > 0 ? { theme: 'contact', fr: `répond à ${pct(v)} % des appels`, en: `answers ${pct(v)}% of calls` } : undefined),
  days_since_last_contact: days('contact_recent', 'dernier échange', 'last conversation'),
  n_wrong_number_90d: (_v, n) => (n === 0 ? { theme: 'phone', fr: 'aucun faux numéro récent', en: 'no recent wrong number' } : undefined),
  n_refusals_365d: (_v, n) => (n === 0 ? { theme: 'refusal', fr: 'aucun refus en 12 mois', en: 'no refusal in 12 months' } : undefined),
  n_promises_365d: (_v, n) => (n > 0 ? { theme: 'promise_made', fr: `${n} ${plural(n, 'promesse', 'promesses')} en 12 mois`, en: `${n} ${plural(n, 'promise', 'promises')} in 12 months` } : undefined),
  n_promises_kept_365d: (_v, n) => (n > 0 ? { theme: 'promise', fr: `${n} ${plural(n, 'promesse tenue', 'promesses tenues')} en 12 mois`, en: `${n} ${plural(n, 'promise', 'promises')} kept in 12 months` } : undefined),
  promise_keep_rate: (v) => (v > 0 ? { theme: 'promise', fr: `tient ${pct(v)} % de ses promesses`, en: `keeps ${pct(v)}% of promises` } : undefined),
  days_since_last_promise: days('promise_made', 'promesse', 'promise'),
  open_promise_amount: (v) => (v > 0 ? { theme: 'open_promise', fr: `promesse en cours de ${eurFr(v)}`, en: `open promise of ${eurEn(v)}` } : undefined),
  age_years: (_v, n) => ({ theme: 'age', fr: `${n} ans`, en: `aged ${n}` }),
  n_valid_phones: (_v, n) => (n > 0 ? { theme: 'phone', fr: `${n} ${plural(n, 'numéro valide', 'numéros valides')}`, en: `${n} valid ${plural(n, 'number', 'numbers')}` } : undefined),
  has_valid_mobile: (v) => (v ? { theme: 'phone', fr: 'mobile valide', en: 'valid mobile number' } : undefined),
  disputed_any: (v) => (v ? { theme: 'dispute', fr: 'dossier contesté', en: 'disputed case' } : undefined),
  overseas: (v) => ({ theme: 'overseas', fr: v ? 'outre-mer' : 'métropole', en: v ? 'overseas' : 'mainland France' }),
  paid_365d_to_balance: (v) => {
    if (v >= 1) return { theme: 'payment_year', fr: 'a payé en 12 mois plus que son solde actuel', en: 'paid more than the current balance in 12 months' };
    return v > 0 ? { theme: 'payment_year', fr: `a payé ${pct(v)} % du solde en 12 mois`, en: `paid ${pct(v)}% of the balance in 12 months` } : undefined;
  },
  open_promise_to_balance: (v) => (v > 0 ? { theme: 'open_promise', fr: `promesse en cours couvrant ${pct(v)} % du solde`, en: `open promise covering ${pct(v)}% of the balance` } : undefined),
  contacts_per_case_90d: (v) => (v > 0 ? { theme: 'contact', fr: `${(Math.round(v * 10) / 10).toLocaleString('fr-FR')} ${plural(v, 'échange', 'échanges')} par dossier ces 90 derniers jours`, en: `${Math.round(v * 10) / 10} ${plural(v, 'conversation', 'conversations')} per case in the last 90 days` } : undefined),
};

/**
 * What a feature's value says, in both languages with its theme; undefined for an unknown
 * feature, a missing value, or a value that says nothing worth reading.
 */
export function featurePhrases(name: string, value: number | boolean | null | undefined): FeaturePhrase | undefined {
  if (value === null || value === undefined || !featureDefinition(name)) return undefined;
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  if (!Number.isFinite(v)) return undefined;
  return PHRASES[name as FeatureName](v, Math.round(v));
}

/**
 * The phrase of a feature's value in plain French (default) or English, e.g.
 * `featurePhrase('balance', 1200)` → `solde de 1 200 €`; undefined when there is nothing to say.
 */
export function featurePhrase(name: string, value: number | boolean | null | undefined, lang: FeatureLanguage = 'fr'): string | undefined {
  return featurePhrases(name, value)?.[lang];
}
