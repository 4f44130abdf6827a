/**
 * The training sets read in batches straight into matrices are the ones the whole snapshots give
 * (read as rows, joined to their labels, turned into a frame), and a fit-row cap keeps a fixed,
 * uniform sample of the older snapshots (and a holdout cap one of the validation and test snapshots).
 */
import type { Knex } from 'knex';
import { keptForFit, readFeatureRows, readLabels, readSnapshotSample, readTrainingSets, toModelFrame } from '../../src/features';
import { isInProcessPglite } from '../../src/db';
import { engines } from '../helpers/db';

const DATES = ['2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'] as const;
const DEBTORS = 4_123;
const BATCH = 1_000; // several batches per snapshot

/** Snapshots and labels made in SQL: pseudo-random but fixed values, a few missing rows and labels. */
async function plant(knex: Knex): Promise<void> {
  for (const asOf of DATES) {
    await knex.raw(
      `insert into features.debtor_features (as_of, debtor_id, balance, principal_total, n_cases, n_open_cases, n_payments_90d, amount_paid_90d,
         n_payments_365d, amount_paid_365d, days_since_last_payment, n_calls_30d, n_calls_90d, n_contacts_90d, n_wrong_number_90d, n_refusals_365d,
         n_promises_365d, n_promises_kept_365d, open_promise_amount, n_valid_phones, has_valid_mobile, disputed_any, overseas,
         paid_share, contact_rate_90d)
       select ?::date, 'D' || lpad(i::text, 6, '0'), (abs(hashtext(i::text || ?)) % 500000) / 100.0, 100 + i % 900, 1 + i % 3, 1,
              i % 4, (i % 4) * 10, i % 7, (i % 7) * 12.5, case when i % 5 = 0 then null else i % 200 end, i % 2, i % 5, i % 3, 0, 0,
              i % 2, 0, 0, 1, i % 2 = 0, false, i % 11 = 0,
              -- doubles that no short decimal writes exactly, and one out of range for a model (NaN)
              case when i % 6 = 0 then null else (i % 13) / 7.0::double precision * pi() end,
              case when i % 97 = 0 then 'NaN'::double precision else 1 / (1 + i)::double precision end
         from generate_series(1, ?) as i
        where abs(hashtext(i::text || 'present' || ?)) % 20 <> 0`,
      [asOf, asOf, DEBTORS, asOf],
    );
    await knex.raw(
      `insert into features.labels (as_of, debtor_id, horizon_days, paid_amount, label)
       select as_of, debtor_id, 30, 0, abs(hashtext(debtor_id || 'paid' || as_of::text)) % 5 = 0
         from features.debtor_features
        where as_of = ?::date and abs(hashtext(debtor_id || 'label')) % 10 <> 0`,
      [asOf],
    );
  }
}

describe.each(engines)('training sets on $name', ({ open }) => {
  test('the database keeps the fit rows keptForFit keeps, accented and non-Latin ids included', async () => {
    const t = await open();
    try {
      const ids = ['D0000001', 'D0000002', 'débiteur-42', 'Ωμέγα', '客户-7', 'x😀y', '', 'ID with spaces'];
      const dates = ['2025-11-01', '2026-10-01'];
      for (const keep of [0.1, 0.5, 0.9]) {
        for (const asOf of dates) {
          const got = await Promise.all(ids.map(async (id) => {
            const r = await t.db.knex.raw('select features.kept_for_fit(?::date, ?, ?) as kept', [asOf, id, keep]);
            return Boolean((r.rows ?? r)[0].kept);
          }));
          expect(got).toEqual(ids.map((id) => keptForFit(id, asOf, keep)));
        }
      }
      // and the shares: about keep of 2,000 ids
      const many = Array.from({ length: 2_000 }, (_, i) => `C${i}`);
      const r = await t.db.knex.raw('select count(*) filter (where features.kept_for_fit(?::date, id, 0.3))::int as n from unnest(?::text[]) as id', ['2026-01-01', many]);
      const n = Number((r.rows ?? r)[0].n);
      expect(n).toBe(many.filter((id) => keptForFit(id, '2026-01-01', 0.3)).length);
      expect(Math.abs(n - 600)).toBeLessThan(5 * Math.sqrt(2_000 * 0.3 * 0.7));
    } finally {
      await t.close();
    }
  });

  test('equal the whole snapshots turned into a frame; a fit cap keeps a fixed uniform sample of the older snapshots, a holdout cap one of the two newest', async () => {
    const t = await open();
    try {
      await plant(t.db.knex);
      // the reference: every row of every snapshot as an object, then one frame
      const rows = await readFeatureRows(t.db, [...DATES]);
      const labels = await readLabels(t.db, [...DATES], 30);
      const frame = toModelFrame(rows);
      const y = Uint8Array.from(rows, (r) => (labels.get(`${r.as_of}|${r.debtor_id}`) ? 1 : 0));
      const part = (keep: (asOf: string) => boolean) => {
        const idx = rows.map((r, i) => (keep(String(r.as_of)) ? i : -1)).filter((i) => i >= 0);
        return {
          data: idx.flatMap((i) => Array.from(frame.data.subarray(i * frame.nCols, (i + 1) * frame.nCols))),
          y: idx.map((i) => y[i] as number),
          ids: idx.map((i) => rows[i]!.debtor_id),
        };
      };
      const sameMatrix = (a: ArrayLike<number>, b: readonly number[]) => {
        expect(a.length).toBe(b.length);
        for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) throw new Error(`cell ${i}: ${a[i]} ≠ ${b[i]}`);
      };

      // On PGlite the batches come as texts parsed here, on Postgres as plain columns: both must match.
      expect(isInProcessPglite(t.db.knex)).toBe(t.db.kind === 'pglite');
      const whole = await readTrainingSets(t.db.knex, { dates: [...DATES], horizonDays: 30, maxFitRows: 10_000_000, batchRows: BATCH });
      const refFit = part((d) => d < DATES[2]);
      const refValid = part((d) => d === DATES[2]);
      const refTest = part((d) => d === DATES[3]);
      sameMatrix(whole.fit.data, refFit.data);
      expect(Array.from(whole.fit.y)).toEqual(refFit.y);
      sameMatrix(whole.valid.data, refValid.data);
      expect(Array.from(whole.valid.y)).toEqual(refValid.y);
      sameMatrix(whole.test.data, refTest.data);
      expect(Array.from(whole.test.y)).toEqual(refTest.y);
      expect(whole.featureNames).toEqual(frame.featureNames);
      expect(whole.fitRowsAvailable).toBe(refFit.y.length);

      // capped: about the cap (binomial, ±5 σ), the same rows every time, the rows keptForFit names
      const cap = 2_000;
      const capped = await readTrainingSets(t.db.knex, { dates: [...DATES], horizonDays: 30, maxFitRows: cap, batchRows: BATCH });
      const share = cap / refFit.y.length;
      const sd = Math.sqrt(refFit.y.length * share * (1 - share));
      expect(Math.abs(capped.fit.nRows - cap)).toBeLessThan(5 * sd);
      const keptIdx = rows.map((r, i) => (String(r.as_of) < DATES[2] && keptForFit(r.debtor_id, String(r.as_of), share) ? i : -1)).filter((i) => i >= 0);
      expect(capped.fit.nRows).toBe(keptIdx.length);
      expect(Array.from(capped.fit.y)).toEqual(keptIdx.map((i) => y[i]));
      const again = await readTrainingSets(t.db.knex, { dates: [...DATES], horizonDays: 30, maxFitRows: cap, batchRows: BATCH });
      expect(Buffer.compare(Buffer.from(again.fit.data.buffer), Buffer.from(capped.fit.data.buffer))).toBe(0);
      // the pay rate is not rebalanced
      const rate = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;
      expect(Math.abs(rate(capped.fit.y) - rate(refFit.y))).toBeLessThan(0.01);
      // validation and test stay whole without their own cap
      expect(capped.valid.nRows).toBe(refValid.y.length);
      expect(capped.test.nRows).toBe(refTest.y.length);
      expect(capped.holdoutRowsAvailable).toEqual({ valid: refValid.y.length, test: refTest.y.length });

      // a holdout cap samples each of them by debtor and date; the fit rows are those of the fit cap alone
      const holdoutCap = 1_500;
      const held = await readTrainingSets(t.db.knex, { dates: [...DATES], horizonDays: 30, maxFitRows: cap, maxHoldoutRows: holdoutCap, batchRows: BATCH });
      expect(Buffer.compare(Buffer.from(held.fit.data.buffer), Buffer.from(capped.fit.data.buffer))).toBe(0);
      for (const [set, date, ref] of [[held.valid, DATES[2], refValid], [held.test, DATES[3], refTest]] as const) {
        const keepShare = holdoutCap / ref.y.length;
        const kept = ref.ids.map((id, i) => (keptForFit(id, date, keepShare) ? i : -1)).filter((i) => i >= 0);
        expect(set.nRows).toBe(kept.length);
        expect(Math.abs(set.nRows - holdoutCap)).toBeLessThan(5 * Math.sqrt(ref.y.length * keepShare * (1 - keepShare)));
        expect(set.debtorIds).toEqual(kept.map((i) => ref.ids[i]));
        expect(Array.from(set.y)).toEqual(kept.map((i) => ref.y[i]));
        sameMatrix(set.data, kept.flatMap((i) => ref.data.slice(i * frame.nCols, (i + 1) * frame.nCols)));
      }
      expect(held.holdoutRowsAvailable).toEqual({ valid: refValid.y.length, test: refTest.y.length });
      expect([...new Set(held.fit.asOf)].sort()).toEqual([DATES[0], DATES[1]]);

      // one snapshot, as drift reads it: whole under the cap, else the rows keptForFit names
      const snapshot = await readSnapshotSample(t.db.knex, DATES[3], { maxRows: 1_000_000, batchRows: BATCH });
      sameMatrix(snapshot.data, refTest.data);
      const sampled = await readSnapshotSample(t.db.knex, DATES[3], { maxRows: 2_000, batchRows: BATCH });
      const keepShare = 2_000 / refTest.y.length;
      expect(sampled.rowsAvailable).toBe(refTest.y.length);
      expect(sampled.nRows).toBe(refTest.ids.filter((id) => keptForFit(id, DATES[3], keepShare)).length);
    } finally {
      await t.close();
    }
  });
});
