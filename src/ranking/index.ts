/**
 * Ranking: from tonight's scores to the published call list — compliance, expected value, best
 * time to call, capacity, control group, reasons — and its publication to `dialer.*` and to the
 * configured dialer targets.
 */
import type { Database } from '../db';
import type { RelanceConfig } from '../config';
import type { IsoDate } from '../core/ids';
import type { Logger } from '../core/log';
import { systemClock, type Clock } from '../core/clock';
import type { ExplainScores } from './build-call-list';
import { buildAndPublishInBatches } from './publish-in-batches';
import type { FeaturePhrasebook } from './reasons';
import type { PublishCounts } from './publish';
import { publishToVicidial, type VicidialReport } from './vicidial';

export type { CallList, CallListRow, ExclusionRow, DeferredRow, HoldoutRow } from './call-list';
export { buildCallList, shownDebtors, type ExplainScores } from './build-call-list';
export { assembleCallList, type CallListInputs } from './assemble-call-list';
export { publishCallList, type PublishCounts } from './publish';
export { buildAndPublishInBatches, PUBLISH_PAGE_ROWS, type BatchPublication, type BatchPublishOptions } from './publish-in-batches';
export { publishToVicidial, toVicidialLeads, type VicidialLead, type VicidialReport } from './vicidial';
export { COMPLIANCE_RULES, type ComplianceRule } from './compliance-rules';
export { markPublishedListStale, type StaleMark } from './stale-list';
export { markVicidialListStale, STALE_COMMENT_PREFIX } from './vicidial-stale';
export { recordContactRequest, liftContactRequest, contactRequest, contactRequestsOf, type ContactRequest, type ContactRequestInput, type ContactRequestKind } from './contact-requests';

/** What {@link buildAndPublishCallList} did. */
export interface PublishReport extends PublishCounts {
  listDate: IsoDate;
  runId: string;
  modelVersionId: string | null;
  /** What ordered the list (`propensity` when `uplift` was configured but no uplift model existed: see `note`). */
  objective: 'uplift' | 'propensity';
  /** The configured `ranking.objective`. */
  objectiveConfigured: 'uplift' | 'propensity';
  upliftModelVersionId: string | null;
  /** Why the list was not ordered as configured, in French and English; null when it was. */
  note: { fr: string; en: string } | null;
  candidates: number;
  /** Debtors excluded, per rule (a debtor counts under every rule that applies). */
  exclusionsByRule: Record<string, number>;
  /** Listed debtors and their expected recovery, per team. */
  teams: { teamId: string; listed: number; expectedRecovery: number }[];
  /** The dialer targets written. */
  targets: VicidialReport[];
}

/**
 * Builds the call list of `listDate` from `scoring.scores` (as_of = listDate), the features and
 * `clean.*`, publishes it to `dialer.*` in one transaction, then to each `ranking.targets` dialer.
 */
export async function buildAndPublishCallList(
  db: Database,
  options: { listDate: IsoDate; runId: string; config: RelanceConfig; log: Logger; clock?: Clock; explain?: ExplainScores; phrasebook?: FeaturePhrasebook },
): Promise<PublishReport> {
  const clock = options.clock ?? systemClock;
  const { ranking, timezone } = options.config;
  const list = await buildAndPublishInBatches(db, { listDate: options.listDate, runId: options.runId, ranking, timeZone: timezone, clock, explain: options.explain, phrasebook: options.phrasebook });
  const { exclusionsByRule } = list;
  const counts: PublishCounts = { listed: list.listed, excluded: list.excluded, excludedDebtors: list.excludedDebtors, deferred: list.deferred, holdout: list.holdout, expectedRecovery: list.expectedRecovery };
  const teams = ranking.teams.map((t) => {
    const rows = list.rows.filter((r) => r.teamId === t.id);
    return { teamId: t.id, listed: rows.length, expectedRecovery: rows.reduce((s, r) => s + r.expectedRecovery, 0) };
  });
  if (list.note) options.log.warn('call list ordered by propensity: no uplift model yet', { listDate: list.listDate, objectiveConfigured: ranking.objective });
  options.log.info('call list published', { listDate: list.listDate, objective: list.objective, candidates: list.candidates, listed: counts.listed, excluded: counts.excludedDebtors, deferred: counts.deferred, holdout: counts.holdout, passes: list.passes });
  const targets: VicidialReport[] = [];
  for (const target of ranking.targets) {
    const report = await publishToVicidial(list, target, { clock });
    options.log.info('call list published to vicidial', { listId: report.listId, leads: report.leads });
    targets.push(report);
  }
  return {
    listDate: list.listDate,
    runId: list.runId,
    modelVersionId: list.modelVersionId,
    objective: list.objective ?? 'propensity',
    objectiveConfigured: list.objectiveConfigured ?? ranking.objective,
    upliftModelVersionId: list.upliftModelVersionId ?? null,
    note: list.note ?? null,
    candidates: list.candidates,
    ...counts,
    exclusionsByRule,
    teams,
    targets,
  };
}
export { recordPhoneDispute, liftPhoneDisputes, phoneDisputesOf, type PhoneDispute } from './phone-disputes';
