/**
 * Capacity: the ranked debtors are assigned to the teams whose portfolio they fall in, in priority
 * order, until each team's agent minutes for the day are spent. What does not fit is deferred,
 * with the reason and the team it would have gone to.
 */
import type { TeamConfig } from '../config/schema/ranking';
import { parseHours } from './zoned-time';

/** Agent minutes a team has for outbound calls in a day: agents × working minutes × occupancy. */
export function teamCapacityMinutes(team: Pick<TeamConfig, 'agents' | 'hours' | 'occupancy'>): number {
  const { from, to } = parseHours(team.hours);
  return team.agents * (to - from) * team.occupancy;
}

/** The portfolio facts a team matches on. */
export interface PortfolioFacts {
  officeCode: string | null;
  creditors: readonly string[];
  legalStages: readonly string[];
}

/** Whether a debtor falls in a team's portfolio: every listed dimension must match one value. */
export function inPortfolio(team: Pick<TeamConfig, 'portfolio'>, f: PortfolioFacts): boolean {
  const p = team.portfolio;
  if (p.offices && !(f.officeCode !== null && p.offices.includes(f.officeCode))) return false;
  if (p.creditors && !f.creditors.some((c) => p.creditors!.includes(c))) return false;
  if (p.legalStages && !f.legalStages.some((s) => p.legalStages!.includes(s))) return false;
  return true;
}

/** One way to place a debtor: a team, and the priority and minutes of the call with that team. */
export interface TeamOption {
  teamId: string;
  priority: number;
  minutes: number;
}

/** A debtor to place, with its team options (any order). */
export interface CapacityItem {
  key: string;
  options: readonly TeamOption[];
}

/** The outcome of {@link fitToCapacity}. */
export interface CapacityFit {
  /** Placed debtors in global priority order, with their team, 1-based rank in the team and option. */
  assigned: { key: string; teamId: string; rank: number; option: TeamOption }[];
  /** Debtors that did not fit, with the option they would have had first. */
  deferred: { key: string; reason: 'capacity'; option: TeamOption }[];
  /** Minutes used and available per team. */
  usage: Map<string, { used: number; capacity: number }>;
  /** Per team, the highest priority it had to defer (−∞ when it deferred nobody). */
  cutoff: Map<string, number>;
}

const best = (item: CapacityItem): TeamOption | undefined => [...item.options].sort((a, b) => b.priority - a.priority)[0];

/**
 * Greedy fit: debtors by their best priority (debtor key breaks ties, so the result is the same on
 * every run), each to its highest-priority team that still has the minutes, in config order on a
 * tie. A debtor none of whose teams has the minutes left is deferred; smaller calls further down
 * may still fit.
 */
export function fitToCapacity(items: readonly CapacityItem[], capacities: ReadonlyMap<string, number>, teamOrder: readonly string[]): CapacityFit {
  const order = new Map(teamOrder.map((t, i) => [t, i]));
  const sorted = items
    .map((item) => ({ item, top: best(item) }))
    .filter((x): x is { item: CapacityItem; top: TeamOption } => x.top !== undefined)
    .sort((a, b) => b.top.priority - a.top.priority || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0));
  const usage = new Map<string, { used: number; capacity: number }>();
  for (const [team, capacity] of capacities) usage.set(team, { used: 0, capacity });
  const ranks = new Map<string, number>();
  const cutoff = new Map<string, number>(teamOrder.map((t) => [t, -Infinity]));
  const fit: CapacityFit = { assigned: [], deferred: [], usage, cutoff };
  for (const { item, top } of sorted) {
    const options = [...item.options].sort((a, b) => b.priority - a.priority || (order.get(a.teamId) ?? 0) - (order.get(b.teamId) ?? 0));
    const chosen = options.find((o) => {
      const u = usage.get(o.teamId);
      return u !== undefined && u.used + o.minutes <= u.capacity + 1e-9;
    });
    if (!chosen) {
      fit.deferred.push({ key: item.key, reason: 'capacity', option: top });
      for (const o of options) if ((cutoff.get(o.teamId) ?? -Infinity) < o.priority) cutoff.set(o.teamId, o.priority);
      continue;
    }
    const u = usage.get(chosen.teamId)!;
    u.used += chosen.minutes;
    const rank = (ranks.get(chosen.teamId) ?? 0) + 1;
    ranks.set(chosen.teamId, rank);
    fit.assigned.push({ key: item.key, teamId: chosen.teamId, rank, option: chosen });
  }
  return fit;
}
