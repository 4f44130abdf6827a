import { holdoutBucket, isInHoldout } from '../../src/ranking/holdout';

describe('holdout', () => {
  const ids = Array.from({ length: 20000 }, (_, i) => `D${i}`);
  const config = { share: 0.05, salt: 'relance-holdout' };

  it('holds out the configured share, deterministically', () => {
    const held = ids.filter((id) => isInHoldout(id, '2026-11-24', config));
    // Binomial(20000, 0.05): sd ≈ 31; 5 sd either side.
    expect(held.length).toBeGreaterThan(1000 - 155);
    expect(held.length).toBeLessThan(1000 + 155);
    expect(ids.filter((id) => isInHoldout(id, '2026-11-24', config))).toEqual(held);
  });

  it('keeps the group for the whole month and reassigns it the next month', () => {
    const nov = ids.filter((id) => isInHoldout(id, '2026-11-02', config));
    expect(ids.filter((id) => isInHoldout(id, '2026-11-30', config))).toEqual(nov);
    const dec = new Set(ids.filter((id) => isInHoldout(id, '2026-12-01', config)));
    const stayed = nov.filter((id) => dec.has(id)).length;
    // Independent months: about 5 % of November's group stays.
    expect(stayed).toBeLessThan(nov.length * 0.15);
  });

  it('depends on the salt, and a share of zero holds out no one', () => {
    expect(holdoutBucket('D1', '2026-11', 'a')).not.toBe(holdoutBucket('D1', '2026-11', 'b'));
    expect(ids.some((id) => isInHoldout(id, '2026-11-24', { share: 0, salt: 'x' }))).toBe(false);
  });
});
