/**
 * The model's explanation in terms the call team reads: each feature's effect in points of
 * probability of paying, not in log-odds. A feature's points are how much the debtor's
 * probability would drop (or rise) if that feature's contribution were taken away, the others
 * kept: p − σ(logit p − c). Its sign says whether it raises or lowers the chance of paying.
 */
import { unitOf, type FeatureUnit } from './feature-units';

/** One term of a stored explanation (log-odds contribution). */
export interface ExplanationTerm {
  feature: string;
  value: number | null;
  contribution: number;
}

/** One feature's effect, in points of probability. */
export interface PlainEffect {
  feature: string;
  value: number | null;
  unit: FeatureUnit;
  /** Signed change of P(pay), in percentage points (3.2 = +3.2 points). */
  points: number;
  direction: 'raises' | 'lowers';
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/** The `limit` largest effects of `terms` on a probability `pPay`, largest first; effects under 0.05 points are left out. */
export function plainEffects(pPay: number, terms: readonly ExplanationTerm[], limit = 6): PlainEffect[] {
  const p = Math.min(Math.max(pPay, 1e-6), 1 - 1e-6);
  const l = logit(p);
  return terms
    .filter((t) => Number.isFinite(t.contribution) && t.contribution !== 0)
    .map((t) => {
      const points = (p - sigmoid(l - t.contribution)) * 100;
      return { feature: t.feature, value: t.value, unit: unitOf(t.feature), points: Math.round(points * 10) / 10, direction: points >= 0 ? ('raises' as const) : ('lowers' as const) };
    })
    .filter((e) => Math.abs(e.points) >= 0.05)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.feature.localeCompare(b.feature))
    .slice(0, limit);
}
