import { expectedAmount, expectedValue, typicalPayment } from '../../src/ranking/expected-value';

describe('expected value', () => {
  it('expects an open promise first, then the usual payment size, then the typical payment, then a share of the balance, never above the balance', () => {
    const fallback = { typicalPayment: 75, firstPaymentShare: 0.25 };
    expect(expectedAmount({ balance: 1000, openPromiseAmount: 150, avgPaymentAmount: 80, lastPaymentAmount: 60 }, fallback)).toEqual({ amount: 150, basis: 'open_promise' });
    expect(expectedAmount({ balance: 1000, openPromiseAmount: 0, avgPaymentAmount: 80, lastPaymentAmount: 60 }, fallback)).toEqual({ amount: 80, basis: 'past_payments' });
    expect(expectedAmount({ balance: 1000, openPromiseAmount: 0, avgPaymentAmount: null, lastPaymentAmount: null }, fallback)).toEqual({ amount: 75, basis: 'typical_payment' });
    expect(expectedAmount({ balance: 1000, openPromiseAmount: 0, avgPaymentAmount: null, lastPaymentAmount: null }, { typicalPayment: null, firstPaymentShare: 0.25 })).toEqual({ amount: 250, basis: 'balance_share' });
    expect(expectedAmount({ balance: 40, openPromiseAmount: 150, avgPaymentAmount: null, lastPaymentAmount: null }, fallback)).toEqual({ amount: 40, basis: 'open_promise' });
  });

  it('mixes the instalment with the balance by the share of payments that settle their case', () => {
    const f = { balance: 1000, openPromiseAmount: 0, avgPaymentAmount: 80, lastPaymentAmount: 60 };
    expect(expectedAmount(f, { typicalPayment: 75, firstPaymentShare: 0.25, settleShare: 0.1 })).toEqual({ amount: 0.9 * 80 + 0.1 * 1000, basis: 'past_payments' });
    expect(expectedAmount({ ...f, balance: 50 }, { typicalPayment: 75, firstPaymentShare: 0.25, settleShare: 0.1 })).toEqual({ amount: 50, basis: 'past_payments' });
  });

  it('takes the median of the mean payments of debtors who paid as the typical payment', () => {
    expect(typicalPayment([null, 50, 0, 120, 80])).toBe(80);
    expect(typicalPayment([50, 120])).toBe(85);
    expect(typicalPayment([null, 0])).toBeNull();
  });

  it('multiplies the three terms and divides by the expected agent minutes', () => {
    const ev = expectedValue({ pPay: 0.4, amount: { amount: 200, basis: 'past_payments' }, pContact: 0.25, minutes: { contact: 6, attempt: 1.5 } });
    expect(ev.expectedRecovery).toBeCloseTo(0.4 * 200 * 0.25, 12);
    expect(ev.expectedMinutes).toBeCloseTo(0.25 * 6 + 0.75 * 1.5, 12);
    expect(ev.priority).toBeCloseTo(20 / 2.625, 12);
  });

  it('prefers a reachable debtor over an unreachable one of the same expected payment', () => {
    const minutes = { contact: 6, attempt: 1.5 };
    const reachable = expectedValue({ pPay: 0.3, amount: { amount: 300, basis: 'balance_share' }, pContact: 0.6, minutes });
    const unreachable = expectedValue({ pPay: 0.3, amount: { amount: 300, basis: 'balance_share' }, pContact: 0.05, minutes });
    expect(reachable.priority).toBeGreaterThan(unreachable.priority);
  });
});
