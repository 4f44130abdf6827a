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

/** One way to place a debtor: a team (and a window), the priority and minutes of that call. */
export interface TeamOption {
  teamId: string;
  priority: number;
  minutes: number;
  /** Caller's index of the option (which window it stands for). */
  ref?: number;
  /** Share of the call's minutes falling in each UTC hour (epoch hours) of its window. */
  hours?: readonly HourShare[];
}

/** A share of a call's minutes in one UTC hour, numbered from the epoch. */
export interface HourShare {
  hour: number;
  share: number;
}

/** How a window's minutes spread over the UTC hours it covers. */
export function windowHourShares(window: { start: Date; end: Date }): HourShare[] {
  const a = window.start.getTime();
  const b = window.end.getTime();
  if (b <= a) return [];
  const out: HourShare[] = [];
  for (let h = Math.floor(a / 3600000); h * 3600000 < b; h++) {
    const overlap = Math.min(b, (h + 1) * 3600000) - Math.max(a, h * 3600000);
    if (overlap > 0) out.push({ hour: h, share: overlap / (b - a) });
  }
  return out;
}

/** Agent minutes a team has in each UTC hour of its working interval: agents × occupancy × minutes worked. */
export function teamHourlyCapacity(team: Pick<TeamConfig, 'agents' | 'occupancy'>, interval: { start: Date; end: Date }): Map<number, number> {
  const out = new Map<number, number>();
  const minutes = (interval.end.getTime() - interval.start.getTime()) / 60000;
  for (const s of windowHourShares(interval)) out.set(s.hour, team.agents * team.occupancy * minutes * s.share);
  return out;
}

/** A debtor to place, with its team options (any order). */
export interface CapacityItem {
  key: string;
  options: readonly TeamOption[];
}

/** The outcome of {@link fitToCapacity}. */
export interface CapacityFit {
  /** Placed debtors in order of the priority of their placed option, with their team, 1-based rank in the team and option. */
  assigned: { key: string; teamId: string; rank: number; option: TeamOption }[];
  /** Debtors that did not fit, with the option they would have had first. */
  deferred: { key: string; reason: 'capacity'; option: TeamOption }[];
  /** Minutes used and available per team. */
  usage: Map<string, { used: number; capacity: number }>;
  /** Per team, the highest priority it had to defer (−∞ when it deferred nobody). */
  cutoff: Map<string, number>;
  /** Minutes used per team and UTC hour, keyed `team|hour` (only with `hourly`). */
  hourUsage: Map<string, number>;
}

/**
 * Whether an option still fits a team's minutes for the day and, with `hourly`, in every hour of
 * its window, given the minutes already used.
 */
export function optionFits(o: TeamOption, usage: ReadonlyMap<string, { used: number; capacity: number }>, hourUsage: ReadonlyMap<string, number>, hourly?: ReadonlyMap<string, ReadonlyMap<number, number>>): boolean {
  const u = usage.get(o.teamId);
  if (u === undefined || u.used + o.minutes > u.capacity + 1e-9) return false;
  const caps = hourly?.get(o.teamId);
  if (!caps || !o.hours) return true;
  return o.hours.every((h) => (hourUsage.get(`${o.teamId}|${h.hour}`) ?? 0) + o.minutes * h.share <= (caps.get(h.hour) ?? 0) + 1e-9);
}

const best = (item: CapacityItem): TeamOption | undefined => [...item.options].sort((a, b) => b.priority - a.priority)[0];

/**
 * Greedy fit: debtors by their best priority (debtor key breaks ties, so the result is the same on
 * every run), each to its highest-priority option (team and window) that still has the minutes —
 * for the day and, when `hourly` is given, in every hour of the window — in config order on a tie.
 * A debtor none of whose options fits is deferred; smaller calls further down may still fit.
 */
export function fitToCapacity(items: readonly CapacityItem[], capacities: ReadonlyMap<string, number>, teamOrder: readonly string[], hourly?: ReadonlyMap<string, ReadonlyMap<number, number>>): CapacityFit {
  const order = new Map(teamOrder.map((t, i) => [t, i]));
  const sorted = items
    .map((item) => ({ item, top: best(item) }))
    .filter((x): x is { item: CapacityItem; top: TeamOption } => x.top !== undefined)
    .sort((a, b) => b.top.priority - a.top.priority || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0));
  const usage = new Map<string, { used: number; capacity: number }>();
  for (const [team, capacity] of capacities) usage.set(team, { used: 0, capacity });
  const ranks = new Map<string, number>();
  const cutoff = new Map<string, number>(teamOrder.map((t) => [t, -Infinity]));
  const hourUsed = new Map<string, number>();
  const fit: CapacityFit = { assigned: [], deferred: [], usage, cutoff, hourUsage: hourUsed };
  for (const { item, top } of sorted) {
    const options = [...item.options].sort((a, b) => b.priority - a.priority || (order.get(a.teamId) ?? 0) - (order.get(b.teamId) ?? 0));
    const chosen = options.find((o) => optionFits(o, usage, hourUsed, hourly));
    if (!chosen) {
      fit.deferred.push({ key: item.key, reason: 'capacity', option: top });
      for (const o of options) if ((cutoff.get(o.teamId) ?? -Infinity) < o.priority) cutoff.set(o.teamId, o.priority);
      continue;
    }
    const u = usage.get(chosen.teamId)!;
    u.used += chosen.minutes;
    for (const h of chosen.hours ?? []) hourUsed.set(`${chosen.teamId}|${h.hour}`, (hourUsed.get(`${chosen.teamId}|${h.hour}`) ?? 0) + chosen.minutes * h.share);
    fit.assigned.push({ key: item.key, teamId: chosen.teamId, rank: 0, option: chosen });
  }
  // Ranks follow the priority of the call as placed (a debtor moved to a later window is worth less).
  fit.assigned.sort((a, b) => b.option.priority - a.option.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const a of fit.assigned) {
    a.rank = (ranks.get(a.teamId) ?? 0) + 1;
    ranks.set(a.teamId, a.rank);
  }
  return fit;
}
