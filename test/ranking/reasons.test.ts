import { BARE_PHRASEBOOK, topReasons as reasonsWith, type Contribution, type ReasonFacts } from '../../src/ranking/reasons';
import { featurePhrasebook } from '../../src/features';

/** Reasons phrased by the feature registry, as the nightly publishes them. */
const topReasons = (explanation: readonly Contribution[], facts: ReasonFacts) => reasonsWith(explanation, facts, featurePhrasebook);

const facts: ReasonFacts = {
  listDate: '2026-11-24',
  lastPaymentOn: '2026-11-12',
  lastPaymentAmount: 50,
  balance: 800,
  lastKeptPromiseOn: '2026-09-15',
  openPromiseAmount: 0,
  openPromiseDueOn: null,
};

describe('reasons', () => {
  it('turns the largest positive contributions into plain French and English', () => {
    const reasons = topReasons(
      [
        { feature: 'days_since_last_payment', value: 12, contribution: 1.2 },
        { feature: 'balance', value: 800, contribution: -0.9 },
        { feature: 'n_promises_kept_365d', value: 1, contribution: 0.6 },
        { feature: 'contact_rate_90d', value: 0.5, contribution: 0.3 },
        { feature: 'age_years', value: 41, contribution: 0.1 },
      ],
      facts,
    );
    expect(reasons.map((r) => r.fr)).toEqual(['paiement partiel de 50 € il y a 12 jours', 'promesse tenue en septembre', 'répond à 50 % des appels']);
    expect(reasons.map((r) => r.en)).toEqual(['part payment of €50 12 days ago', 'promise kept in September', 'answers 50% of calls']);
    expect(reasons[0]).toMatchObject({ feature: 'days_since_last_payment', contribution: 1.2, text: 'paiement partiel de 50 € il y a 12 jours' });
  });

  it('says one thing per theme and completes with facts when the model gives too few reasons', () => {
    const reasons = topReasons(
      [
        { feature: 'days_since_last_payment', value: 12, contribution: 0.8 },
        { feature: 'last_payment_amount', value: 50, contribution: 0.7 },
      ],
      { ...facts, openPromiseAmount: 120, openPromiseDueOn: '2026-12-05' },
    );
    expect(reasons.map((r) => r.fr)).toEqual(['paiement partiel de 50 € il y a 12 jours', 'promesse en cours de 120 € au 5 décembre', 'promesse tenue en septembre']);
    expect(reasons[1]).toMatchObject({ feature: 'open_promise', contribution: null, en: 'open promise of €120 due 5 December' });
  });

  it('does not speak of percentages above 100 %', () => {
    const reasons = topReasons([{ feature: 'paid_365d_to_balance', value: 5.66, contribution: 0.4 }, { feature: 'paid_share', value: 0.65, contribution: 0.2 }], { ...facts, lastPaymentOn: null, lastKeptPromiseOn: null });
    expect(reasons.map((r) => r.fr)).toEqual(['a payé en 12 mois plus que son solde actuel', '65 % de la dette déjà réglés']);
  });

  it('names the year of an old kept promise, and gives nothing for an empty file', () => {
    const reasons = topReasons([], { ...facts, lastPaymentOn: null, lastKeptPromiseOn: '2025-09-03' });
    expect(reasons.map((r) => r.fr)).toEqual(['promesse tenue en septembre 2025']);
    expect(topReasons([{ feature: 'balance', value: 10, contribution: -1 }], { ...facts, lastPaymentOn: null, lastKeptPromiseOn: null })).toEqual([]);
  });

  it('without the registry\'s phrasebook a contribution still reads as its feature and value, never silence', () => {
    const reasons = reasonsWith([{ feature: 'contact_rate_90d', value: 0.5, contribution: 0.3 }], { ...facts, lastPaymentOn: null, lastKeptPromiseOn: null }, BARE_PHRASEBOOK);
    expect(reasons).toEqual([{ feature: 'contact_rate_90d', contribution: 0.3, fr: 'contact rate 90d : 0.5', en: 'contact rate 90d: 0.5', text: 'contact rate 90d : 0.5' }]);
  });
});
