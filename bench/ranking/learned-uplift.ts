/**
 * The learned uplift of bench/ranking/uplift.ts: a T-learner (src/model/uplift) fitted on the
 * office's stored point-in-time snapshots, treatment "called within 7 days of the snapshot date"
 * (a day or two leaves too few treated rows: Qini 0.04 at 5,000 debtors), outcome "paid within the horizon" (features.labels), then applied to the list date's
 * eligible pool. Its ordering — (P(pay) if called − P(pay) if not) × relance's expected amount — is
 * what ranking by the recovery a call adds would publish; here it is only measured, not published.
 */
import type pg from 'pg';
import { toModelFrame } from '../../src/features/model-frame';
import type { FeatureRow } from '../../src/features/feature-columns';
import { GbdtClassifier, type GbdtOptions } from '../../src/model/gbdt';
import { fitTLearner, predictUplift } from '../../src/model/uplift/t-learner';

/** Learned uplift of each pool debtor, and how the model was fitted. */
export interface LearnedUplift {
  /** P(pay) if called − P(pay) if not, by debtor. */
  upliftP: Map<string, number>;
  rows: { treated: number; control: number };
  snapshots: string[];
  seconds: number;
}

/** How {@link learnUplift} fits. */
export interface LearnOptions {
  /** Days from the snapshot date during which a call counts as the treatment. @defaultValue 7 */
  treatmentDays?: number;
  horizonDays?: number;
  gbdt?: GbdtOptions;
}

/** Fits the T-learner on the snapshots before `listDate` and predicts the pool's uplift. */
export async function learnUplift(db: pg.Client, listDate: string, pool: readonly string[], options: LearnOptions = {}): Promise<LearnedUplift> {
  const horizonDays = options.horizonDays ?? 30;
  const treatmentDays = options.treatmentDays ?? 7;
  const started = Date.now();
  const train = await db.query<FeatureRow & { label: boolean; treated: boolean }>(
    `select f.*, to_char(f.as_of, 'YYYY-MM-DD') as as_of, l.label,
            exists (select 1 from clean.calls c
                     where c.debtor_id = f.debtor_id and c.called_at::date >= f.as_of and c.called_at::date < f.as_of + $3::int) as treated
       from features.debtor_features f
       join features.labels l on l.as_of = f.as_of and l.debtor_id = f.debtor_id and l.horizon_days = $2
      where f.as_of < $1 and f.balance > 0
      order by f.as_of, f.debtor_id`,
    [listDate, horizonDays, treatmentDays],
  );
  const frame = toModelFrame(train.rows);
  const y = Uint8Array.from(train.rows, (r) => (r.label ? 1 : 0));
  const treated = Uint8Array.from(train.rows, (r) => (r.treated ? 1 : 0));
  const classifier = new GbdtClassifier(options.gbdt ?? { numRounds: 150, learningRate: 0.05, numLeaves: 7, minDataInLeaf: 200 });
  const model = await fitTLearner({ nRows: frame.nRows, nCols: frame.nCols, data: frame.data, y, featureNames: frame.featureNames }, treated, classifier);
  const target = await db.query<FeatureRow>(
    `select f.*, to_char(f.as_of, 'YYYY-MM-DD') as as_of from features.debtor_features f where f.as_of = $1 and f.debtor_id = any($2) order by f.debtor_id`,
    [listDate, pool],
  );
  const x = toModelFrame(target.rows);
  const { uplift } = predictUplift(model, x);
  const upliftP = new Map<string, number>();
  x.debtorIds.forEach((id, i) => upliftP.set(id, uplift[i] as number));
  return { upliftP, rows: model.rows, snapshots: [...new Set(frame.asOf)], seconds: (Date.now() - started) / 1000 };
}
