/**
 * The nightly measure of the control group: every published list whose horizon has passed
 * (the one published one horizon ago, and any older one not measured yet) gets its called group
 * compared with its control group, stored in `monitoring.realised_uplift`.
 */
import type { Logger } from '../core/log';
import { addDays, type IsoDate } from '../core/ids';
import { runSql } from '../db';
import { realisedUplift, saveRealisedUplift, type ArmOutcome } from '../monitoring/uplift';
import type { Json } from '../dag';
import type { PipelineResources } from './resources';

interface ArmRow {
  arm: 'called' | 'control';
  n: number;
  n_paid: number;
  mean: number | string | null;
  variance: number | string | null;
}

const EMPTY: ArmOutcome = { n: 0, nPaid: 0, meanRecovered: 0, varianceRecovered: 0 };

function armOf(rows: ArmRow[], arm: ArmRow['arm']): ArmOutcome {
  const r = rows.find((x) => x.arm === arm);
  return r ? { n: Number(r.n), nPaid: Number(r.n_paid), meanRecovered: Number(r.mean ?? 0), varianceRecovered: Number(r.variance ?? 0) } : EMPTY;
}

/** Measures and stores the realised uplift of every list due by `listDate − horizon`. */
export async function realisedUpliftStep(resources: PipelineResources, run: { listDate: IsoDate; log: Logger }): Promise<Json> {
  const { db, config } = resources;
  const horizon = config.scoring.horizonDays;
  const minPaid = config.scoring.minPaidAmount;
  const until = addDays(run.listDate, -horizon);
  const { rows: due } = await runSql<{ list_date: string }>(db.knex, 'monitoring/uplift-lists-due', { until });
  if (due.length === 0) return { skipped: `no published list on or before ${until}` };
  const measured: Json[] = [];
  for (const { list_date: listDate } of due) {
    const { rows } = await runSql<ArmRow>(db.knex, 'monitoring/uplift-arms', { list_date: listDate, horizon_days: horizon, min_paid: minPaid });
    const result = realisedUplift(armOf(rows, 'called'), armOf(rows, 'control'));
    await saveRealisedUplift(db.knex, { listDate, horizonDays: horizon, minPaidAmount: minPaid, result, measuredAt: resources.clock.now() });
    measured.push({ listDate, called: result.called.n, control: result.control.n, payRateDiff: result.payRateDiff?.estimate ?? null, amountDiff: result.amountDiff?.estimate ?? null });
  }
  run.log.info('realised uplift measured', { lists: measured.length, until });
  return { until, lists: measured };
}
