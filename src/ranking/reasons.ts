/**
 * Reasons in plain French and English: why a debtor is high on the list, from the largest
 * positive contributions of the model's explanation (phrased by the feature registry,
 * src/features/feature-phrases.ts) and, when they are too few, from facts of the file (last
 * payment, kept promise, open promise). One reason per theme, three at most.
 */
import type { IsoDate } from '../core/ids';
import { eurEn, eurFr, featurePhrases, plural, type FeaturePhrase } from '../features/feature-phrases';
import { featureDefinition } from '../features/feature-registry';

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

type Phrase = FeaturePhrase;

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

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

/**
 * The phrase of one positive contribution, or undefined when it says nothing useful: the facts of
 * the file where they say more (the date and amount of the last payment, the month of the kept
 * promise, the open promise), else the feature registry's phrase of the value.
 */
export function phraseOf(c: Contribution, facts: ReasonFacts): Phrase | undefined {
  const v = c.value;
  if (v === null || !Number.isFinite(v)) return undefined;
  switch (c.feature) {
    case 'days_since_last_payment':
    case 'last_payment_amount':
      if (facts.lastPaymentOn) return lastPayment(daysBetween(facts.lastPaymentOn, facts.listDate), facts.lastPaymentAmount, facts.balance);
      return c.feature === 'days_since_last_payment' ? lastPayment(Math.round(v), null, facts.balance) : featurePhrases(c.feature, v);
    case 'n_promises_kept_365d':
    case 'promise_keep_rate':
      return facts.lastKeptPromiseOn ? promiseKept(facts.lastKeptPromiseOn, facts.listDate) : featurePhrases(c.feature, v);
    case 'open_promise_amount':
    case 'open_promise_to_balance':
      return facts.openPromiseAmount > 0 ? openPromise(facts) : undefined;
    default:
      if (featureDefinition(c.feature)) return featurePhrases(c.feature, v);
      // a feature the registry does not know (an old model's): its name and value, never silence
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
