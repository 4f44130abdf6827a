/**
 * Builds and publishes the call list of a date in batches of debtors, with memory that does not
 * grow with the office: the list that {@link buildCallList} and {@link publishCallList} make
 * together, row for row, without holding every candidate.
 *
 * In one transaction (the publication stays atomic): the candidates and their contact slots are
 * staged in temporary tables (Postgres holds them, not Node); a first pass over the slots learns
 * the office's and segments' contact rates and a pass over the candidates' amounts the typical
 * payment; a second pass decides each page of candidates. Exclusions, no-team deferrals and the
 * control group are copied as each page is decided. Only the `heldItems` best eligible debtors
 * are kept for the capacity fit; the others are deferred as they fall out. That is exact as long
 * as none of those could still have fitted once the kept ones are placed, which is checked (an
 * option's fit depends only on its team, window and minutes, so the smallest minutes per team and
 * window decide); if one could, the pass is done again keeping four times as many.
 */
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Database } from '../db';
import { loadSql, readSql, runSql, wrapDbError } from '../db';
import type { Clock } from '../core/clock';
import type { IsoDate } from '../core/ids';
import type { RankingConfig } from '../config/schema/ranking';
import { toCandidate, type Candidate } from './candidate';
import type { CallListRow, DeferredRow, HoldoutRow } from './call-list';
import { capacityDeferredRow, capacityItem, contactSegment, effectiveObjective, evaluateCandidate, holdoutRow, listedRow, mostCommonOf, reasonsOf, type CandidateContext, type CandidateOption } from './assemble-call-list';
import { ContactProfileLearner, type ContactRates, type SlotCount } from './contact-profile';
import { typicalPayment } from './expected-value';
import { fitToCapacity, optionFits, teamCapacityMinutes, teamHourlyCapacity, type CapacityItem, type TeamOption } from './capacity';
import { teamInterval } from './calling-window';
import { isInHoldout } from './holdout';
import { deferredRecord, exclusionRecord, holdoutRecord, insertCallListRows, lockListDate, recordPublication, type ListKey, type PublishCounts } from './publish';
import { callHistoryOf, type ExplainScores } from './build-call-list';
import type { FeaturePhrasebook } from './reasons';

/** Candidates decided per page. */
export const PUBLISH_PAGE_ROWS = 10_000;
/** Contact slot rows read per page in the first pass. */
const SLOT_PAGE_ROWS = 50_000;

/** Options of {@link buildAndPublishInBatches}. */
export interface BatchPublishOptions {
  listDate: IsoDate;
  runId: string;
  ranking: RankingConfig;
  /** Time zone of teams that name none. */
  timeZone: string;
  clock: Clock;
  /** Explains the scores of the debtors shown (with the transaction's connection). */
  explain?: ExplainScores;
  phrasebook?: FeaturePhrasebook;
  /** Candidates decided per page. @defaultValue {@link PUBLISH_PAGE_ROWS} */
  pageRows?: number;
  /** Eligible debtors kept for the capacity fit. @defaultValue four times the most calls the teams' minutes allow, at least 1,000 */
  heldItems?: number;
}

/** What {@link buildAndPublishInBatches} published. */
export interface BatchPublication extends PublishCounts {
  listDate: IsoDate;
  runId: string;
  modelVersionId: string | null;
  settleShare: number;
  candidates: number;
  /** What ordered the list, and why not the configured objective (see {@link effectiveObjective}). */
  objective: 'uplift' | 'propensity';
  objectiveConfigured: 'uplift' | 'propensity';
  upliftModelVersionId: string | null;
  note: { fr: string; en: string } | null;
  /** The listed rows, by team and rank as placed. */
  rows: CallListRow[];
  /** Exclusion rows per rule. */
  exclusionsByRule: Record<string, number>;
  /** How many times the pass over the candidates ran (more than once when too few were kept). */
  passes: number;
}

/** An eligible debtor kept for the capacity fit. */
interface Kept {
  candidate: Candidate;
  options: CandidateOption[];
  item: CapacityItem;
  /** Its best option's priority: what orders the fit. */
  top: number;
}

/** Whether `a` comes after `b` in the fit's order (lower best priority, then larger debtor id). */
const after = (a: Kept, b: Kept): boolean => a.top < b.top || (a.top === b.top && a.candidate.debtorId > b.candidate.debtorId);

/** A binary heap of the kept debtors whose root is the one the fit would reach last. */
class KeptHeap {
  readonly items: Kept[] = [];
  push(k: Kept): void {
    const h = this.items;
    h.push(k);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!after(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Kept {
    const h = this.items;
    const root = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && after(h[l]!, h[m]!)) m = l;
        if (r < h.length && after(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return root;
  }
}

/** The `n` highest-priority rows offered (debtor id breaks ties), as {@link shownDebtors} picks them. */
class TopRows<T extends { debtorId: string; priority: number }> {
  private rows: T[] = [];
  constructor(private readonly n: number) {}
  offer(row: T): void {
    this.rows.push(row);
    if (this.rows.length >= 2 * this.n + 1000) this.rows = this.best();
  }
  best(): T[] {
    return [...this.rows].sort((a, b) => b.priority - a.priority || (a.debtorId < b.debtorId ? -1 : 1)).slice(0, this.n);
  }
}

/** A CSV field for COPY (FORMAT csv, NULL ''): strings always quoted, so an empty one is not NULL. */
function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `"${String(v).replace(/"/g, '""')}"`;
}

/** Copies records (all with the same keys) into a table. */
async function copyRecords(db: Database, trx: Knex.Transaction, table: string, records: readonly Record<string, unknown>[]): Promise<void> {
  if (records.length === 0) return;
  const columns = Object.keys(records[0]!);
  const text = records.map((r) => columns.map((c) => csvValue(r[c])).join(',')).join('\n') + '\n';
  await db.copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv, NULL '')`, Readable.from([text]), trx);
}

/** Runs `create temporary table <name> … as <sql/<file>.sql>` with the file's bindings. */
async function stage(trx: Knex.Transaction, name: string, file: string, bindings: Record<string, unknown>, index: string): Promise<void> {
  try {
    await trx.raw(`create temporary table ${name} on commit drop as ${loadSql(file)}`, bindings as Knex.ValueDict);
    await trx.raw(`create index on ${name} (${index})`);
    await trx.raw(`analyze ${name}`);
  } catch (cause) {
    throw wrapDbError(cause, `sql/${file}.sql`);
  }
}

/** A row of `sql/ranking/staged-contact-slots-page.sql`. */
interface StagedSlot {
  debtor_id: string;
  office_code: string | null;
  weekday: number;
  hour: number;
  attempts: number;
  contacts: number;
  candidate: boolean;
  candidate_office_code: string | null;
  phone_type: string | null;
}

/** First pass over the staged slots: the office's and segments' contact rates, debtor by debtor. */
async function learnRates(trx: Knex.Transaction): Promise<ContactRates> {
  const learner = new ContactProfileLearner();
  let current: { id: string; segment: string; counts: SlotCount[] } | null = null as { id: string; segment: string; counts: SlotCount[] } | null;
  let last: StagedSlot | undefined;
  for (;;) {
    const rows = await readSql<StagedSlot>(trx, 'ranking/staged-contact-slots-page', {
      after_debtor: last?.debtor_id ?? null,
      after_weekday: last?.weekday ?? 0,
      after_hour: last?.hour ?? 0,
      page_rows: SLOT_PAGE_ROWS,
    });
    for (const r of rows) {
      if (current?.id !== r.debtor_id) {
        if (current) learner.addDebtor(current.segment, current.counts);
        // A candidate borrows from its office and phone type; a debtor only called, from its calls' office.
        const segment = r.candidate ? contactSegment(r.candidate_office_code, r.phone_type) : contactSegment(r.office_code, undefined);
        current = { id: r.debtor_id, segment, counts: [] };
      }
      current.counts.push({ debtorId: r.debtor_id, weekday: Number(r.weekday), hour: Number(r.hour), attempts: Number(r.attempts), contacts: Number(r.contacts) });
    }
    if (rows.length < SLOT_PAGE_ROWS) break;
    last = rows[rows.length - 1];
  }
  if (current) learner.addDebtor(current.segment, current.counts);
  return learner.finish();
}

/** The typical payment (median of the candidates' positive mean payments), the most common model versions and how many candidates the uplift model scored. */
async function candidateTotals(
  trx: Knex.Transaction,
  pageRows: number,
): Promise<{ typical: number | null; modelVersionId: string | null; upliftModelVersionId: string | null; candidates: number; withUplift: number }> {
  const means: number[] = [];
  const versions = new Map<string, number>();
  const upliftVersions = new Map<string, number>();
  let candidates = 0;
  let withUplift = 0;
  let last: string | null = null;
  for (;;) {
    const rows: { debtor_id: string; avg_payment_amount: unknown; model_version_id: unknown; uplift_model_version_id: unknown; uplift_p: unknown }[] = await readSql<{ debtor_id: string; avg_payment_amount: unknown; model_version_id: unknown; uplift_model_version_id: unknown; uplift_p: unknown }>(trx, 'ranking/staged-candidate-amounts-page', { after: last, page_rows: pageRows });
    for (const r of rows) {
      // As toCandidate reads them.
      const mean = r.avg_payment_amount === null || r.avg_payment_amount === undefined || r.avg_payment_amount === '' ? null : Number(r.avg_payment_amount);
      if (mean !== null && mean > 0) means.push(mean);
      const version = String(r.model_version_id ?? '');
      if (version) versions.set(version, (versions.get(version) ?? 0) + 1);
      // As toCandidate reads them: scored by the uplift model when uplift_p is there.
      if (r.uplift_p !== null && r.uplift_p !== undefined) {
        withUplift++;
        const uv = String(r.uplift_model_version_id ?? '');
        if (uv) upliftVersions.set(uv, (upliftVersions.get(uv) ?? 0) + 1);
      }
    }
    candidates += rows.length;
    if (rows.length < pageRows) break;
    last = rows[rows.length - 1]!.debtor_id;
  }
  return { typical: typicalPayment(means), modelVersionId: mostCommonOf(versions), upliftModelVersionId: mostCommonOf(upliftVersions), candidates, withUplift };
}

/** The most debtors the teams could be given: every minute spent on the cheapest possible call. */
function defaultHeldItems(ranking: RankingConfig): number {
  let calls = 0;
  for (const t of ranking.teams) calls += teamCapacityMinutes(t) / Math.max(0.01, Math.min(t.minutesPerCall, t.minutesPerAttempt));
  return Math.max(1000, Math.ceil(4 * calls));
}

/**
 * Builds the call list of `listDate` and publishes it to `dialer.*` in one transaction, reading
 * and writing in pages of debtors. The rows written are those {@link buildCallList} followed by
 * {@link publishCallList} write.
 */
export async function buildAndPublishInBatches(db: Database, options: BatchPublishOptions): Promise<BatchPublication> {
  const { listDate, ranking } = options;
  const pageRows = options.pageRows ?? PUBLISH_PAGE_ROWS;
  const publishedAt = options.clock.now();
  const list: ListKey = { listDate, runId: options.runId };
  return db.knex.transaction(async (trx) => {
    await lockListDate(trx, listDate);
    // The statements are index lookups and pages: compiling them (JIT) costs more than it saves.
    if (db.kind === 'postgres') await trx.raw('set local jit = off');
    await stage(trx, 'publish_candidates', 'ranking/candidates', { list_date: listDate }, 'debtor_id');
    await stage(trx, 'publish_slots', 'ranking/contact-slots', { list_date: listDate, history_days: ranking.contact.historyDays }, 'debtor_id, weekday, hour');
    const settle = await runSql<{ settle_share: number | null }>(trx, 'ranking/settle-share', { list_date: listDate });
    const settleShare = Number(settle.rows[0]?.settle_share ?? 0);
    const rates = await learnRates(trx);
    const totals = await candidateTotals(trx, pageRows);
    const intervals = new Map(ranking.teams.map((t) => [t.id, teamInterval(listDate, t, options.timeZone)]));
    const fallback = { typicalPayment: totals.typical, firstPaymentShare: ranking.amount.firstPaymentShare, settleShare };
    const capacities = new Map(ranking.teams.map((t) => [t.id, teamCapacityMinutes(t)]));
    const hourly = new Map(ranking.teams.map((t) => [t.id, teamHourlyCapacity(t, intervals.get(t.id)!)]));
    const teamOrder = ranking.teams.map((t) => t.id);
    const { objective, note } = effectiveObjective(ranking.objective, totals.candidates, totals.withUplift);

    let held = options.heldItems ?? defaultHeldItems(ranking);
    for (let passes = 1; ; passes++) {
      // A pass starts from an empty list of the date (a pass done again replaces its own rows).
      for (const file of ['delete-call-list', 'delete-exclusions', 'delete-deferred', 'delete-holdout']) await runSql(trx, `ranking/${file}`, { list_date: listDate });
      const counts = { excluded: 0, excludedDebtors: 0, deferred: 0, holdout: 0 };
      const exclusionsByRule: Record<string, number> = {};
      const heap = new KeptHeap();
      const topDeferred = new TopRows<DeferredRow>(ranking.explainHead);
      const topHoldout = new TopRows<HoldoutRow>(ranking.explainHead);
      // Of the debtors let go: per team the highest priority, per team and window the fewest minutes.
      const droppedCutoff = new Map<string, number>();
      const droppedMinutes = new Map<string, TeamOption>();
      let dropped = 0;
      let last: string | null = null;
      for (;;) {
        const rows = await readSql(trx, 'ranking/staged-candidates-page', { after: last, page_rows: pageRows });
        if (rows.length === 0) break;
        const page: Candidate[] = rows.map(toCandidate);
        const slots = await readSql<{ debtor_id: string; weekday: number; hour: number; attempts: number; contacts: number }>(trx, 'ranking/staged-contact-slots-of-range', { after: last, last: page[page.length - 1]!.debtorId });
        const counted: SlotCount[] = slots.map((r) => ({ debtorId: r.debtor_id, weekday: Number(r.weekday), hour: Number(r.hour), attempts: Number(r.attempts), contacts: Number(r.contacts) }));
        const segments = new Map(page.map((c) => [c.debtorId, contactSegment(c.officeCode, c.phoneType)]));
        const profiles = rates.profiles(counted, (id) => segments.get(id) ?? contactSegment(undefined, undefined));
        const ctx: CandidateContext = { listDate, ranking, profiles, intervals, fallback, objective };
        const exclusions: Record<string, unknown>[] = [];
        const deferred: Record<string, unknown>[] = [];
        const holdout: Record<string, unknown>[] = [];
        const letGo = (k: Kept): void => {
          const top = [...k.item.options].sort((a, b) => b.priority - a.priority)[0]!;
          const row = capacityDeferredRow(k.candidate.debtorId, top.teamId, k.options[top.ref ?? 0]!);
          deferred.push(deferredRecord(list, row));
          topDeferred.offer(row);
          counts.deferred++;
          dropped++;
          for (const o of k.item.options) {
            if ((droppedCutoff.get(o.teamId) ?? -Infinity) < o.priority) droppedCutoff.set(o.teamId, o.priority);
            const key = `${o.teamId}|${(o.hours ?? []).map((h) => `${h.hour}:${h.share}`).join(',')}`;
            const seen = droppedMinutes.get(key);
            if (!seen || o.minutes < seen.minutes) droppedMinutes.set(key, o);
          }
        };
        for (const c of page) {
          const outcome = evaluateCandidate(c, ctx);
          if (outcome.kind === 'excluded') {
            for (const e of outcome.exclusions) {
              exclusions.push(exclusionRecord(list, e));
              exclusionsByRule[e.rule] = (exclusionsByRule[e.rule] ?? 0) + 1;
            }
            counts.excluded += outcome.exclusions.length;
            if (outcome.exclusions.length > 0) counts.excludedDebtors++;
          } else if (outcome.kind === 'deferred') {
            deferred.push(deferredRecord(list, outcome.deferred));
            topDeferred.offer(outcome.deferred);
            counts.deferred++;
          } else if (isInHoldout(c.debtorId, listDate, ranking.holdout)) {
            // Whether it would have been listed is settled once the fit's cut-offs are known.
            const row = holdoutRow(c.debtorId, outcome.options, listDate, new Map());
            holdout.push(holdoutRecord(list, row));
            topHoldout.offer(row);
            counts.holdout++;
          } else {
            const item = capacityItem(c.debtorId, outcome.options);
            heap.push({ candidate: c, options: outcome.options, item, top: Math.max(...item.options.map((o) => o.priority)) });
            if (heap.items.length > held) letGo(heap.pop());
          }
        }
        await copyRecords(db, trx, 'dialer.exclusions', exclusions);
        await copyRecords(db, trx, 'dialer.deferred', deferred);
        await copyRecords(db, trx, 'dialer.holdout', holdout);
        if (rows.length < pageRows) break;
        last = page[page.length - 1]!.debtorId;
      }

      const kept = new Map(heap.items.map((k) => [k.candidate.debtorId, k]));
      const fit = fitToCapacity(heap.items.map((k) => k.item), capacities, teamOrder, hourly);
      // Exact only if no debtor let go could have taken what the kept ones left.
      if (dropped > 0 && [...droppedMinutes.values()].some((o) => optionFits(o, fit.usage, fit.hourUsage, hourly))) {
        held *= 4;
        continue;
      }
      // Why each call matters, from the listed debtors' history (read for the listed rows only).
      const history = await callHistoryOf(trx, listDate, fit.assigned.map((a) => a.key));
      const rows: CallListRow[] = fit.assigned.map((a) => {
        const k = kept.get(a.key)!;
        return listedRow(k.candidate, a, k.options[a.option.ref ?? 0]!, listDate, options.phrasebook, history.get(a.key));
      });
      const fitDeferred = fit.deferred.map((d) => capacityDeferredRow(d.key, d.option.teamId, kept.get(d.key)!.options[d.option.ref ?? 0]!));
      for (const d of fitDeferred) topDeferred.offer(d);
      await copyRecords(db, trx, 'dialer.deferred', fitDeferred.map((d) => deferredRecord(list, d)));
      counts.deferred += fitDeferred.length;
      for (const team of teamOrder) {
        const cutoff = Math.max(fit.cutoff.get(team) ?? -Infinity, droppedCutoff.get(team) ?? -Infinity);
        if (cutoff > -Infinity) await runSql(trx, 'ranking/settle-holdout-cutoff', { list_date: listDate, team_id: team, cutoff });
      }

      let listed = rows;
      if (options.explain) {
        const shown = [...new Set([...rows.map((r) => r.debtorId), ...topDeferred.best().map((r) => r.debtorId), ...topHoldout.best().map((r) => r.debtorId)])];
        const explanations = await options.explain(shown, trx);
        listed = rows.map((r) => ({ ...r, reasons: reasonsOf(kept.get(r.debtorId)!.candidate, listDate, options.phrasebook, explanations.get(r.debtorId) ?? []) }));
      }
      await insertCallListRows(trx, list, listed, publishedAt);
      const publishCounts: PublishCounts = { listed: listed.length, ...counts, expectedRecovery: listed.reduce((s, r) => s + r.expectedRecovery, 0) };
      const facts = { listDate, runId: options.runId, modelVersionId: totals.modelVersionId, candidates: totals.candidates, settleShare, objective, objectiveConfigured: ranking.objective, upliftModelVersionId: totals.upliftModelVersionId, note };
      await recordPublication(trx, facts, publishCounts, publishedAt);
      return { ...facts, ...publishCounts, rows: listed, exclusionsByRule, passes };
    }
  });
}
