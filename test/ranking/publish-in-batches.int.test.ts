/**
 * The list published in pages of debtors is the list built whole: on a synthetic office, the rows
 * that buildCallList followed by publishCallList write (the in-memory path, kept as reference) and
 * those buildAndPublishInBatches writes are the same in every dialer table — order, ranks, windows,
 * reasons, exclusions, deferrals, control group, publication record — including the ties, whatever
 * the page size and however few eligible debtors are kept for the capacity fit, ordered by what the
 * call adds (every debtor scored by an uplift model, some effects negative) or, without an uplift
 * model, by propensity with the fallback note.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { FixedClock, silentLogger } from '../../src/core';
import { cleanAll, extractSource } from '../../src/elt';
import { computeFeatureSnapshot } from '../../src/features';
import { buildAndPublishInBatches, buildCallList, publishCallList, type ExplainScores } from '../../src/ranking';
import { synthesize } from '../../src/synth';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';
import { rankingConfig } from './fixture';

const LIST_DATE = '2026-11-24'; // a Tuesday
const clock = new FixedClock('2026-11-24T01:30:00Z');

/** Every published row of the list date, each table in a fixed order. */
async function published(knex: Knex): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of [
    ['dialer.call_list', 'team_id, rank'],
    ['dialer.exclusions', 'debtor_id, rule'],
    ['dialer.deferred', 'debtor_id'],
    ['dialer.holdout', 'debtor_id'],
    ['dialer.publications', 'list_date'],
  ] as const) {
    out[table] = ((await knex.raw(`select * from ${table} where list_date = ? order by ${order}`, [LIST_DATE])) as { rows: unknown[] }).rows;
  }
  return out;
}

/** A made-up explanation that depends on the debtor only, recording whom it was asked about. */
function recordingExplain(asked: string[][]): ExplainScores {
  return async (ids) => {
    asked.push([...ids]);
    return new Map(ids.map((id) => [id, [{ feature: 'balance', value: id.length, contribution: (id.charCodeAt(id.length - 1) % 7) - 3 }]]));
  };
}

describeIfPostgres('the call list published in batches', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-batches-'));
  const exportDir = path.join(work, 'exports', 'latest');
  let t: TestDatabase;
  beforeAll(async () => {
    await synthesize({ debtors: 3000, seed: 11, outDir: exportDir, asOf: LIST_DATE });
    t = await freshPostgres();
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    for (const source of base.sources) {
      if (source.kind !== 'csv') continue;
      await extractSource(t.db, { ...source, dir: exportDir }, { runId: 'run-b', log: silentLogger, today: LIST_DATE });
    }
    await cleanAll(t.db, { runId: 'run-b', log: silentLogger });
    await computeFeatureSnapshot(t.db, { asOf: LIST_DATE, timeZone: 'Europe/Paris', current: true, runId: 'run-b' });
    // A quarter of the debtors owe and pay alike, and twenty distinct probabilities: many tie on priority.
    await t.db.knex.raw(`update features.debtor_features set balance = 1000, avg_payment_amount = 100, open_promise_amount = 0 where abs(hashtext(debtor_id)) % 4 = 1`);
    // Two model versions: the list names the most common.
    await t.db.knex.raw(
      `insert into scoring.scores (as_of, debtor_id, model_version_id, p_pay, raw_score, expected_value)
       select ?, debtor_id, case when abs(hashtext(debtor_id)) % 3 = 0 then 'm2' else 'm1' end, 0.025 + (abs(hashtext(debtor_id)) % 20) / 20.0, 0, 0 from clean.debtors`,
      [LIST_DATE],
    );
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const scenarios = [
    {
      name: 'two office teams, little capacity, a control group',
      ranking: rankingConfig({
        teams: [
          { id: 'nord', agents: 1, hours: '09:00-13:00', occupancy: 0.8, portfolio: { offices: ['ETU01'] } },
          { id: 'sud', agents: 2, hours: '10:00-18:00', occupancy: 0.5, portfolio: { offices: ['ETU02', 'ETU03'] } },
        ],
        holdout: { share: 0.1 },
        explainHead: 25,
      }).ranking,
      uplift: false,
    },
    { name: 'one team with room for everyone', ranking: rankingConfig({ teams: [{ id: 'all', agents: 400, hours: '08:00-20:00' }], holdout: { share: 0.05 }, explainHead: 25 }).ranking, uplift: false },
    {
      name: 'ordered by what the call adds, two teams',
      ranking: rankingConfig({
        teams: [
          { id: 'nord', agents: 1, hours: '09:00-13:00', occupancy: 0.8, portfolio: { offices: ['ETU01'] } },
          { id: 'sud', agents: 2, hours: '10:00-18:00', occupancy: 0.5, portfolio: { offices: ['ETU02', 'ETU03'] } },
        ],
        holdout: { share: 0.1 },
        explainHead: 25,
      }).ranking,
      uplift: true,
    },
  ];

  describe.each(scenarios)('$name', ({ ranking, uplift }) => {
    let reference: Record<string, unknown[]>;
    let referenceOrder: string[];
    let referenceAsked: string[][];
    beforeAll(async () => {
      // Eleven distinct effects of a call, a few of them negative (a call that puts the debtor off).
      await t.db.knex.raw(
        uplift
          ? `update scoring.scores set uplift_model_version_id = 'u1', uplift_p = ((abs(hashtext(debtor_id || 'u')) % 11) - 2) / 40.0,
                    p_pay_called = least(1, p_pay + 0.1), p_pay_not_called = p_pay where as_of = ?`
          : `update scoring.scores set uplift_model_version_id = null, uplift_p = null, p_pay_called = null, p_pay_not_called = null where as_of = ?`,
        [LIST_DATE],
      );
      referenceAsked = [];
      const list = await buildCallList(t.db, { listDate: LIST_DATE, runId: 'run-b', ranking, timeZone: 'Europe/Paris', explain: recordingExplain(referenceAsked) });
      await publishCallList(t.db, list, clock);
      reference = await published(t.db.knex);
      referenceOrder = list.rows.map((r) => r.debtorId);
    }, 120_000);

    it('is ordered by the objective it can rank by', () => {
      const publication = reference['dialer.publications']![0] as { objective: string; note: string | null; uplift_model_version_id: string | null };
      expect(publication.objective).toBe(uplift ? 'uplift' : 'propensity');
      expect(publication.uplift_model_version_id).toBe(uplift ? 'u1' : null);
      expect(publication.note === null).toBe(uplift);
      // The priority is per expected minute what the objective counts: the call's added recovery, or the expected recovery.
      for (const row of reference['dialer.call_list']! as { priority: number; incremental_recovery: number | null; expected_recovery: number; expected_minutes: number }[]) {
        if (uplift) expect(row.incremental_recovery).not.toBeNull();
        else expect(row.incremental_recovery).toBeNull();
        const value = uplift ? Number(row.incremental_recovery) : Number(row.expected_recovery);
        expect(Number(row.priority)).toBeCloseTo(value / Number(row.expected_minutes), 9);
        // A call expected to add nothing is not made, even with minutes to spare.
        if (uplift) expect(Number(row.incremental_recovery)).toBeGreaterThan(0);
      }
      const noGain = (reference['dialer.deferred']! as { reason: string; incremental_recovery: number | null }[]).filter((d) => d.reason === 'no_gain');
      if (uplift) {
        expect(noGain.length).toBeGreaterThan(20);
        for (const d of noGain) expect(Number(d.incremental_recovery)).toBeLessThanOrEqual(0);
        for (const h of reference['dialer.holdout']! as { incremental_recovery: number }[]) expect(Number(h.incremental_recovery)).toBeGreaterThan(0);
      } else expect(noGain).toEqual([]);
    });

    it('has ties, deferrals and exclusions to get right', () => {
      const priorities = [...reference['dialer.call_list']!, ...reference['dialer.deferred']!].map((r) => (r as { priority: number }).priority);
      expect(priorities.length - new Set(priorities).size).toBeGreaterThan(20);
      expect(reference['dialer.exclusions']!.length).toBeGreaterThan(50);
      expect(reference['dialer.holdout']!.length).toBeGreaterThan(20);
      expect(reference['dialer.call_list']!.length).toBeGreaterThan(50);
    });

    it.each([
      { pageRows: 10_000, heldItems: undefined },
      { pageRows: 137, heldItems: undefined },
      { pageRows: 250, heldItems: 30 },
    ])('writes the same rows with pages of $pageRows and $heldItems kept', async ({ pageRows, heldItems }) => {
      const asked: string[][] = [];
      const result = await buildAndPublishInBatches(t.db, { listDate: LIST_DATE, runId: 'run-b', ranking, timeZone: 'Europe/Paris', clock, explain: recordingExplain(asked), pageRows, ...(heldItems ? { heldItems } : {}) });
      expect(await published(t.db.knex)).toEqual(reference);
      expect(result.rows.map((r) => r.debtorId)).toEqual(referenceOrder);
      expect(asked).toEqual(referenceAsked);
      const deferred = reference['dialer.deferred']!.length;
      if (heldItems && deferred > heldItems) expect(result.passes).toBeGreaterThan(1);
    }, 120_000);
  });
});
