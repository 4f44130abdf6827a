import { betaBinomialStrength, learnContactProfiles, recommendWindow, type SlotCount } from '../../src/ranking/contact-profile';
import { Rng } from '../../src/core/rng';

describe('contact profiles', () => {
  const bySegment = (id: string): string => (id.startsWith('E') ? 'evening' : 'morning');

  it('learns when a segment answers, and recommends that window to its debtors', () => {
    const counts: SlotCount[] = [];
    // Segment "evening" answers at 18-19h, "morning" at 9-10h; every weekday, 30 debtors each.
    for (let d = 0; d < 30; d++) {
      for (let wd = 1; wd <= 5; wd++) {
        for (const hour of [9, 12, 18]) {
          counts.push({ debtorId: `E${d}`, weekday: wd, hour, attempts: 2, contacts: hour === 18 ? 1 : 0 });
          counts.push({ debtorId: `M${d}`, weekday: wd, hour, attempts: 2, contacts: hour === 9 ? 1 : 0 });
        }
      }
    }
    const profiles = learnContactProfiles(counts, bySegment);
    expect(profiles.segmentRate('evening', 2, 18)).toBeGreaterThan(0.4);
    expect(profiles.segmentRate('evening', 2, 9)).toBeLessThan(0.1);
    const day = { start: new Date('2026-11-24T07:00:00Z'), end: new Date('2026-11-24T19:00:00Z') }; // 08:00-20:00 Paris
    // A new debtor with no history borrows its segment's profile.
    const evening = recommendWindow(profiles, 'E-new', day, 'Europe/Paris', 2);
    expect(evening.start.toISOString()).toBe('2026-11-24T16:00:00.000Z'); // 17:00 Paris
    expect(evening.end.toISOString()).toBe('2026-11-24T18:00:00.000Z');
    const morning = recommendWindow(profiles, 'M-new', day, 'Europe/Paris', 1);
    expect(morning.start.toISOString()).toBe('2026-11-24T08:00:00.000Z'); // 09:00 Paris
    expect(morning.pContact).toBeCloseTo(profiles.segmentRate('morning', 2, 9), 12);
  });

  it('shrinks a thin history towards the segment and trusts a long one', () => {
    const counts: SlotCount[] = [];
    for (let d = 0; d < 50; d++) counts.push({ debtorId: `M${d}`, weekday: 2, hour: 10, attempts: 10, contacts: 3 });
    counts.push({ debtorId: 'M-thin', weekday: 2, hour: 10, attempts: 1, contacts: 1 });
    counts.push({ debtorId: 'M-long', weekday: 2, hour: 10, attempts: 200, contacts: 180 });
    const profiles = learnContactProfiles(counts, () => 'm');
    const segment = profiles.segmentRate('m', 2, 10);
    const thin = profiles.rate('M-thin', 2, 10);
    expect(thin).toBeGreaterThan(segment);
    expect(thin).toBeLessThan(0.6); // one answered call is not a 100 % rate
    expect(profiles.rate('M-long', 2, 10)).toBeGreaterThan(0.8);
    // Homogeneous debtors (all 3/10): rates vary no more than binomial noise, so the prior is strongest.
    expect(betaBinomialStrength(Array.from({ length: 50 }, () => ({ a: 10, c: 3 })))).toBe(200);
  });

  it('recovers the prior strength of a beta-binomial by the method of moments', () => {
    const rng = new Rng(7);
    // θ ~ Beta(2, 6) (α + β = 8), 20 attempts per debtor.
    const debtors = Array.from({ length: 4000 }, () => {
      const x = gamma(rng, 2);
      const theta = x / (x + gamma(rng, 6));
      let c = 0;
      for (let k = 0; k < 20; k++) if (rng.next() < theta) c++;
      return { a: 20, c };
    });
    expect(betaBinomialStrength(debtors)).toBeGreaterThan(6);
    expect(betaBinomialStrength(debtors)).toBeLessThan(10.5);
  });

  it('clips the window to the allowed interval when it starts off the hour', () => {
    const profiles = learnContactProfiles([], () => 's');
    // India (UTC+5:30): an interval from 13:30 to 15:00 UTC is 19:00-20:30 local.
    const w = recommendWindow(profiles, 'x', { start: new Date('2026-11-24T13:30:00Z'), end: new Date('2026-11-24T15:00:00Z') }, 'Asia/Kolkata', 3);
    expect(w.start.toISOString()).toBe('2026-11-24T13:30:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-24T15:00:00.000Z');
    expect(w.pContact).toBeCloseTo(0.3, 12); // no history at all: the prior rate
  });
});

/** Marsaglia–Tsang gamma draw (shape ≥ 1), for the simulation above. */
function gamma(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(rng.next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
