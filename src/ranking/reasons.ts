/**
 * Reasons in plain French and English: why a debtor is high on the list, from the largest
 * positive contributions of the model's explanation and, when they are too few, from facts of the
 * file (last payment, kept promise, open promise). One reason per theme, three at most.
 */
import type { IsoDate } from '../core/ids';

/** One term of the explanation stored in `scoring.scores.explanation`. */
export interface Contribution {
  feature: string;
  value: number | null;
  contribution: number;
}

/** A reason shown to the call team. */
export interface Reason {
  /** The feature or fact it comes from. */
  feature: string;
  /** Log-odds contribution, when it comes from the model. */
  contribution: number | null;
  fr: string;
  en: string;
  /** The text shown by default (French). */
  text: string;
}

/** Facts of the file the reasons may quote. */
export interface ReasonFacts {
  listDate: IsoDate;
  lastPaymentOn: IsoDate | null;
  lastPaymentAmount: number | null;
  balance: number;
  /** Due date of the last promise that was kept. */
  lastKeptPromiseOn: IsoDate | null;
  openPromiseAmount: number;
  /** Due date of the open promise, when there is one. */
  openPromiseDueOn: IsoDate | null;
}

type Phrase = { theme: string; fr: string; en: string };

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const eurFr = (x: number): string => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(x).replace(/\u202f/g, ' ')} €`;
const eurEn = (x: number): string => `€${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(x)}`;
const pct = (x: number): number => Math.round(x * 100);
const plural = (n: number, one: string, many: string): string => (Math.abs(n) === 1 ? one : many);
const daysBetween = (from: IsoDate, to: IsoDate): number => Math.round((Date.parse(to) - Date.parse(from)) / 86400000);

function promiseKept(on: IsoDate, listDate: IsoDate): Phrase {
  const m = Number(on.slice(5, 7)) - 1;
  const sameYear = on.slice(0, 4) === listDate.slice(0, 4) || daysBetween(on, listDate) < 300;
  const year = sameYear ? '' : ` ${on.slice(0, 4)}`;
  return { theme: 'promise', fr: `promesse tenue en ${MONTHS_FR[m]}${year}`, en: `promise kept in ${MONTHS_EN[m]}${year}` };
}

function lastPayment(days: number, amount: number | null, balance: number): Phrase {
  const partial = balance > 0;
  const amountFr = amount ? ` de ${eurFr(amount)}` : '';
  const amountEn = amount ? ` of ${eurEn(amount)}` : '';
  return {
    theme: 'payment',
    fr: `${partial ? 'paiement partiel' : 'paiement'}${amountFr} il y a ${days} ${plural(days, 'jour', 'jours')}`,
    en: `${partial ? 'part payment' : 'payment'}${amountEn} ${days} ${plural(days, 'day', 'days')} ago`,
  };
}

/** The phrase of one positive contribution, or undefined when it says nothing useful. */
export function phraseOf(c: Contribution, facts: ReasonFacts): Phrase | undefined {
  const v = c.value;
  if (v === null || !Number.isFinite(v)) return undefined;
  const n = Math.round(v);
  switch (c.feature) {
    case 'days_since_last_payment':
    case 'last_payment_amount':
      if (facts.lastPaymentOn) return lastPayment(daysBetween(facts.lastPaymentOn, facts.listDate), facts.lastPaymentAmount, facts.balance);
      return c.feature === 'days_since_last_payment' ? lastPayment(n, null, facts.balance) : { theme: 'payment', fr: `dernier paiement de ${eurFr(v)}`, en: `last payment of ${eurEn(v)}` };
    case 'n_payments_90d':
      return n > 0 ? { theme: 'payment', fr: `${n} ${plural(n, 'paiement', 'paiements')} ces 90 derniers jours`, en: `${n} ${plural(n, 'payment', 'payments')} in the last 90 days` } : undefined;
    case 'amount_paid_90d':
      return v > 0 ? { theme: 'payment', fr: `${eurFr(v)} payés ces 90 derniers jours`, en: `${eurEn(v)} paid in the last 90 days` } : undefined;
    case 'n_payments_365d':
      return n > 0 ? { theme: 'payment_year', fr: `${n} ${plural(n, 'paiement', 'paiements')} en 12 mois`, en: `${n} ${plural(n, 'payment', 'payments')} in 12 months` } : undefined;
    case 'amount_paid_365d':
      return v > 0 ? { theme: 'payment_year', fr: `${eurFr(v)} payés en 12 mois`, en: `${eurEn(v)} paid in 12 months` } : undefined;
    case 'paid_365d_to_balance':
      if (v >= 1) return { theme: 'payment_year', fr: 'a payé en 12 mois plus que son solde actuel', en: 'paid more than the current balance in 12 months' };
      return v > 0 ? { theme: 'payment_year', fr: `a payé ${pct(v)} % du solde en 12 mois`, en: `paid ${pct(v)}% of the balance in 12 months` } : undefined;
    case 'avg_payment_amount':
      return { theme: 'payment_size', fr: `paiements de ${eurFr(v)} en moyenne`, en: `payments of ${eurEn(v)} on average` };
    case 'paid_share':
      return v > 0 ? { theme: 'paid_share', fr: `${pct(v)} % de la dette déjà réglés`, en: `${pct(v)}% of the debt already paid` } : undefined;
    case 'n_promises_kept_365d':
    case 'promise_keep_rate':
      if (facts.lastKeptPromiseOn) return promiseKept(facts.lastKeptPromiseOn, facts.listDate);
      if (c.feature === 'promise_keep_rate') return v > 0 ? { theme: 'promise', fr: `tient ${pct(v)} % de ses promesses`, en: `keeps ${pct(v)}% of promises` } : undefined;
      return n > 0 ? { theme: 'promise', fr: `${n} ${plural(n, 'promesse tenue', 'promesses tenues')} en 12 mois`, en: `${n} ${plural(n, 'promise', 'promises')} kept in 12 months` } : undefined;
    case 'open_promise_amount':
    case 'open_promise_to_balance':
      return facts.openPromiseAmount > 0 ? openPromise(facts) : undefined;
    case 'n_promises_365d':
      return n > 0 ? { theme: 'promise_made', fr: `${n} ${plural(n, 'promesse', 'promesses')} en 12 mois`, en: `${n} ${plural(n, 'promise', 'promises')} in 12 months` } : undefined;
    case 'days_since_last_promise':
      return { theme: 'promise_made', fr: `promesse il y a ${n} ${plural(n, 'jour', 'jours')}`, en: `promise ${n} ${plural(n, 'day', 'days')} ago` };
    case 'n_contacts_90d':
    case 'contacts_per_case_90d':
      return n > 0 ? { theme: 'contact', fr: `joint ${n} fois ces 90 derniers jours`, en: `reached ${n} ${plural(n, 'time', 'times')} in the last 90 days` } : undefined;
    case 'contact_rate_90d':
      return v > 0 ? { theme: 'contact', fr: `répond à ${pct(v)} % des appels`, en: `answers ${pct(v)}% of calls` } : undefined;
    case 'days_since_last_contact':
      return { theme: 'contact_recent', fr: `dernier échange il y a ${n} ${plural(n, 'jour', 'jours')}`, en: `last conversation ${n} ${plural(n, 'day', 'days')} ago` };
    case 'n_calls_30d':
    case 'n_calls_90d':
      return n === 0 ? { theme: 'calls', fr: 'pas appelé récemment', en: 'not called recently' } : undefined;
    case 'n_wrong_number_90d':
      return n === 0 ? { theme: 'phone', fr: 'aucun faux numéro récent', en: 'no recent wrong number' } : undefined;
    case 'n_refusals_365d':
      return n === 0 ? { theme: 'refusal', fr: 'aucun refus en 12 mois', en: 'no refusal in 12 months' } : undefined;
    case 'balance':
      return { theme: 'balance', fr: `solde de ${eurFr(v)}`, en: `balance of ${eurEn(v)}` };
    case 'principal_total':
      return { theme: 'balance', fr: `créance de ${eurFr(v)}`, en: `claim of ${eurEn(v)}` };
    case 'n_cases':
    case 'n_open_cases':
      return { theme: 'cases', fr: `${n} ${plural(n, 'dossier', 'dossiers')}`, en: `${n} ${plural(n, 'case', 'cases')}` };
    case 'oldest_case_age_days':
    case 'newest_case_age_days':
      return { theme: 'case_age', fr: `dossier ouvert il y a ${n} ${plural(n, 'jour', 'jours')}`, en: `case opened ${n} ${plural(n, 'day', 'days')} ago` };
    case 'age_years':
      return { theme: 'age', fr: `${n} ans`, en: `aged ${n}` };
    case 'n_valid_phones':
      return n > 0 ? { theme: 'phone', fr: `${n} ${plural(n, 'numéro valide', 'numéros valides')}`, en: `${n} valid ${plural(n, 'number', 'numbers')}` } : undefined;
    case 'has_valid_mobile':
      return v ? { theme: 'phone', fr: 'mobile valide', en: 'valid mobile number' } : undefined;
    case 'overseas':
      return { theme: 'overseas', fr: v ? 'outre-mer' : 'métropole', en: v ? 'overseas' : 'mainland France' };
    default:
      return { theme: c.feature, fr: `${c.feature.replace(/_/g, ' ')} : ${v}`, en: `${c.feature.replace(/_/g, ' ')}: ${v}` };
  }
}

function openPromise(facts: ReasonFacts): Phrase {
  const due = facts.openPromiseDueOn;
  const dueFr = due ? ` au ${Number(due.slice(8, 10))} ${MONTHS_FR[Number(due.slice(5, 7)) - 1]}` : '';
  const dueEn = due ? ` due ${Number(due.slice(8, 10))} ${MONTHS_EN[Number(due.slice(5, 7)) - 1]}` : '';
  return { theme: 'open_promise', fr: `promesse en cours de ${eurFr(facts.openPromiseAmount)}${dueFr}`, en: `open promise of ${eurEn(facts.openPromiseAmount)}${dueEn}` };
}

/**
 * The top `limit` reasons: positive contributions by size, one per theme, then facts (open promise,
 * kept promise, last payment) to complete.
 */
export function topReasons(explanation: readonly Contribution[], facts: ReasonFacts, limit = 3): Reason[] {
  const out: Reason[] = [];
  const themes = new Set<string>();
  const push = (feature: string, contribution: number | null, p: Phrase | undefined): void => {
    if (!p || out.length >= limit || themes.has(p.theme)) return;
    themes.add(p.theme);
    out.push({ feature, contribution, fr: p.fr, en: p.en, text: p.fr });
  };
  const positive = explanation.filter((c) => c.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  for (const c of positive) push(c.feature, c.contribution, phraseOf(c, facts));
  if (facts.openPromiseAmount > 0) push('open_promise', null, openPromise(facts));
  if (facts.lastKeptPromiseOn) push('kept_promise', null, promiseKept(facts.lastKeptPromiseOn, facts.listDate));
  if (facts.lastPaymentOn) push('last_payment', null, lastPayment(daysBetween(facts.lastPaymentOn, facts.listDate), facts.lastPaymentAmount, facts.balance));
  return out;
}
