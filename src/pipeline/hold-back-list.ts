/**
 * What a night that cannot publish does, whatever stopped it before publication (stale exports,
 * a failed quality check): the list the dialer works from stays published and is marked stale
 * (dialer.* and each dialer target), and an alert goes out.
 */
import type { IsoDate } from '../core/ids';
import type { Logger } from '../core/log';
import { markPublishedListStale, markVicidialListStale, type StaleMark } from '../ranking';
import { raiseAlert } from '../monitoring/alerts';
import type { PipelineResources } from './resources';

/** Why the night's list is held back. */
export interface HoldBack {
  runId: string;
  /** The list date the run would have published. */
  listDate: IsoDate;
  /** Alert kind: `freshness`, `quality`. */
  kind: string;
  /** What the alert is about (the failing sources). */
  subject: string;
  /** One line, French or English as the checks word it; stored as the stale reason. */
  reason: string;
  details: Record<string, unknown>;
  log: Logger;
}

/** Marks the published list stale everywhere and raises a critical alert; never throws for a dialer target. */
export async function holdBackList(resources: PipelineResources, hold: HoldBack): Promise<StaleMark | null> {
  const at = resources.clock.now();
  const mark = await markPublishedListStale(resources.db, { upTo: hold.listDate, reason: hold.reason, runId: hold.runId, at });
  for (const target of resources.config.ranking.targets) {
    try {
      const leads = await markVicidialListStale(target);
      hold.log.warn('dialer target marked stale', { listId: target.listId, leads });
    } catch (error) {
      // The alert below still goes out; the target keeps its leads unmarked.
      hold.log.error('could not mark the dialer target stale', { listId: target.listId, error: (error as Error).message });
    }
  }
  const kept = mark ? `the list of ${mark.listDate} stays published, marked stale since ${mark.staleSince.toISOString()}` : 'no list was published before';
  await raiseAlert(
    resources.db,
    { kind: hold.kind, severity: 'critical', subject: hold.subject, message: `no new call list for ${hold.listDate}: ${hold.reason}; ${kept}`, details: { ...hold.details, runId: hold.runId, listDate: hold.listDate, staleListDate: mark?.listDate ?? null } },
    resources.config,
    { log: hold.log },
  );
  return mark;
}
