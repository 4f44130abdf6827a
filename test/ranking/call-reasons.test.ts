import { callReasons } from '../../src/ranking/call-reasons';

const none = { phonePromises: 0, phonePromisesKept: 0, payments: 0, paymentsAfterCall: 0 };

describe('why the call matters', () => {
  it('says what calls have done in the history, French first', () => {
    const r = callReasons({ phonePromises: 4, phonePromisesKept: 3, payments: 5, paymentsAfterCall: 5 }, null);
    expect(r.map((x) => x.fr)).toEqual(['a tenu 3 promesses faites au téléphone', 'ne paie jamais sans relance (5 paiements, tous après un appel)']);
    expect(r.map((x) => x.en)).toEqual(['kept 3 promises made on the phone', 'never pays without a call (5 payments, all after a call)']);
    expect(r.every((x) => x.text === x.fr)).toBe(true);
  });

  it('is singular for one, and says nothing of payments that came on their own', () => {
    expect(callReasons({ phonePromises: 1, phonePromisesKept: 1, payments: 1, paymentsAfterCall: 1 }, null).map((x) => x.fr)).toEqual([
      'a tenu 1 promesse faite au téléphone',
      'son seul paiement a suivi un appel',
    ]);
    // one payment of five came without a call: not "never pays without a call"
    expect(callReasons({ ...none, payments: 5, paymentsAfterCall: 4 }, null)).toEqual([]);
    expect(callReasons({ ...none, phonePromises: 2 }, null).map((x) => x.feature)).toEqual(['no_spontaneous_payment']);
  });

  it('adds the chance of payment with and without the call when the call helps, never when it does not', () => {
    expect(callReasons(undefined, { pPayCalled: 0.424, pPayNotCalled: 0.18 }).map((x) => [x.fr, x.en])).toEqual([["42 % de chances de payer s'il est joint, 18 % sinon", '42% chance of paying if reached, 18% if not']]);
    expect(callReasons(undefined, { pPayCalled: 0.3, pPayNotCalled: 0.35 })).toEqual([]);
    expect(callReasons({ phonePromises: 3, phonePromisesKept: 3, payments: 3, paymentsAfterCall: 3 }, { pPayCalled: 0.6, pPayNotCalled: 0.2 }, 2)).toHaveLength(2);
  });
});
