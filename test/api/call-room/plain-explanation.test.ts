/**
 * The explanation in points of probability: checked against the probabilities computed by hand
 * from the logistic function, not against the formula of the code.
 */
import { plainEffects } from '../../../src/api/call-room/plain-explanation';
import { parseOutcomeInput } from '../../../src/api/call-room/outcome-input';

describe('plainEffects', () => {
  test('a contribution of ln 3 at p = 0.75 is worth 25 points (0.75 without it would be 0.5)', () => {
    const [effect] = plainEffects(0.75, [{ feature: 'n_payments_90d', value: 2, contribution: Math.log(3) }]);
    expect(effect).toEqual({ feature: 'n_payments_90d', value: 2, unit: 'count', points: 25, direction: 'raises' });
  });

  test('a negative contribution lowers the chance: at p = 0.2, −ln 4 is worth −30 points (0.5 without it)', () => {
    const [effect] = plainEffects(0.2, [{ feature: 'balance', value: 5300, contribution: -Math.log(4) }]);
    expect(effect).toMatchObject({ feature: 'balance', unit: 'euro', points: -30, direction: 'lowers' });
  });

  test('largest effects first, tiny ones left out, at most `limit`', () => {
    const terms = [
      { feature: 'a', value: 1, contribution: 0.1 },
      { feature: 'b', value: 1, contribution: -0.8 },
      { feature: 'c', value: 1, contribution: 0.0001 },
      { feature: 'd', value: 1, contribution: 0.4 },
    ];
    expect(plainEffects(0.5, terms).map((e) => e.feature)).toEqual(['b', 'd', 'a']);
    expect(plainEffects(0.5, terms, 2).map((e) => e.feature)).toEqual(['b', 'd']);
  });
});

describe('parseOutcomeInput', () => {
  test('names the first bad field', () => {
    expect(() => parseOutcomeInput({ idempotencyKey: 'abcdefgh', debtorId: 'D1', outcome: 'promise', promiseAmount: 10 })).toThrow(/^promiseDueOn: /);
    expect(() => parseOutcomeInput(null)).toThrow(/^body: /);
    expect(parseOutcomeInput({ idempotencyKey: 'abcdefgh', debtorId: 'D1', outcome: 'callback', callbackAt: '2026-11-24T15:00:00+01:00' })).toMatchObject({ outcome: 'callback' });
  });
});
