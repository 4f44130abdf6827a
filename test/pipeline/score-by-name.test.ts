/**
 * Scoring reads each feature by its name in the model's stored feature list: a model whose feature
 * order differs from the frame's columns scores as the right mapping says, and a model that needs a
 * feature the frame lacks fails with a message naming it.
 */
import type { Knex } from 'knex';
import { engines } from '../helpers/db';
import { Rng } from '../../src/core/rng';
import { MODEL_FEATURES, SNAPSHOT_FEATURES } from '../../src/features';
import { LogisticClassifier } from '../../src/model/logistic';
import { promote, registerModelVersion } from '../../src/model/registry';
import type { FittedModel } from '../../src/model/classifier';
import { explainScores, scoreSnapshot } from '../../src/pipeline/score-snapshot';

const AS_OF = '2026-05-01';
const SHARES = new Set(['paid_share', 'contact_rate_90d', 'promise_keep_rate']);
const FLAGS = new Set(['has_valid_mobile', 'overseas']);
const NULLABLE = new Set(['days_since_last_payment', 'age_years', 'promise_keep_rate']);

/** A stored feature row with every column of features.debtor_features filled. */
function storedRow(rng: Rng, i: number): Record<string, unknown> {
  const row: Record<string, unknown> = { as_of: AS_OF, debtor_id: `D${String(i).padStart(3, '0')}`, office_code: 'ETU01', legal_stage_rank: rng.int(4), disputed_any: false };
  for (const name of SNAPSHOT_FEATURES) {
    if (NULLABLE.has(name) && rng.next() < 0.2) row[name] = null;
    else if (SHARES.has(name)) row[name] = Math.round(rng.next() * 1000) / 1000;
    else if (FLAGS.has(name)) row[name] = rng.next() < 0.5;
    else row[name] = 1 + rng.int(name.includes('amount') || name === 'balance' || name === 'principal_total' ? 3000 : 40);
  }
  return row;
}

/** The value of a model feature for a stored row, worked out by hand from the column of that name. */
function byHand(row: Record<string, unknown>, name: string): number {
  const num = (c: string): number => (row[c] === null ? NaN : typeof row[c] === 'boolean' ? (row[c] ? 1 : 0) : Number(row[c]));
  if (name === 'paid_365d_to_balance') return num('amount_paid_365d') / num('balance');
  if (name === 'open_promise_to_balance') return num('open_promise_amount') / num('balance');
  if (name === 'contacts_per_case_90d') return num('n_contacts_90d') / num('n_cases');
  return num(name);
}

/** A logistic model trained on columns in the order `names`, on data unrelated to the test rows. */
async function modelOn(names: readonly string[]): Promise<FittedModel> {
  const rng = new Rng(7);
  const n = 400;
  const data = new Float64Array(n * names.length);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    names.forEach((_, j) => {
      const v = rng.next() * 10;
      data[i * names.length + j] = v;
      z += (j % 3 === 0 ? 0.4 : -0.2) * (v - 5) * ((j % 5) + 1) / 5;
    });
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return new LogisticClassifier().fit({ nRows: n, nCols: names.length, data, featureNames: names, y });
}

async function install(knex: Knex, model: FittedModel): Promise<void> {
  await registerModelVersion(knex, { versionId: 'shuffled', kind: 'logistic', trainingRunId: null, featureNames: [...model.featureNames], model: model.toJSON(), threshold: 0.5, metrics: { auc: 0.7, cost: 0.3 }, reference: null });
  await promote(knex, 'shuffled', 'test');
}

describe.each(engines)('scoring by feature name on $name', ({ open }) => {
  test('a model whose feature order differs from the frame scores as the by-name mapping computed by hand', async () => {
    const t = await open();
    try {
      const rng = new Rng(11);
      const rows = Array.from({ length: 60 }, (_, i) => storedRow(rng, i));
      await t.db.knex.batchInsert('features.debtor_features', rows, 100);
      // Every model feature, in the reverse of the frame's column order.
      const names = [...MODEL_FEATURES].reverse();
      const model = await modelOn(names);
      await install(t.db.knex, model);

      const report = await scoreSnapshot(t.db, { asOf: AS_OF });
      expect(report.rows).toBe(60);

      const x = new Float64Array(rows.length * names.length);
      rows.forEach((r, i) => names.forEach((name, j) => { x[i * names.length + j] = byHand(r, name); }));
      const expected = model.predictProba({ nRows: rows.length, nCols: names.length, data: x });
      const stored = (await t.db.knex('scoring.scores').where({ as_of: AS_OF }).orderBy('debtor_id').select('debtor_id', 'p_pay', 'explanation')) as { debtor_id: string; p_pay: number; explanation: unknown }[];
      expect(stored.map((s) => s.debtor_id)).toEqual(rows.map((r) => r.debtor_id));
      stored.forEach((s, i) => expect(Number(s.p_pay)).toBeCloseTo(expected[i] as number, 10));
      // The explanation, computed when the debtor is shown, names each value with its own feature.
      const firstId = String(rows[0]!.debtor_id);
      const explanation = (await explainScores(t.db.knex, { asOf: AS_OF, debtorIds: [firstId] })).get(firstId)!;
      expect(explanation.length).toBeGreaterThan(0);
      for (const c of explanation) expect(c.value ?? NaN).toBeCloseTo(byHand(rows[0]!, c.feature), 6);
    } finally {
      await t.close();
    }
  });

  test('a model needing a feature the frame lacks fails with a message naming it', async () => {
    const t = await open();
    try {
      const rng = new Rng(3);
      await t.db.knex.batchInsert('features.debtor_features', Array.from({ length: 5 }, (_, i) => storedRow(rng, i)), 100);
      const names = [...MODEL_FEATURES.filter((n) => n !== 'balance'), 'n_bailiff_visits_90d'];
      await install(t.db.knex, await modelOn(names));
      await expect(scoreSnapshot(t.db, { asOf: AS_OF })).rejects.toMatchObject({ name: 'MissingFeatureError', message: expect.stringMatching(/n_bailiff_visits_90d/) });
      expect(Number((await t.db.knex('scoring.scores').count<{ n: number }[]>('* as n'))[0]!.n)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
