/**
 * Where the office models' calibration is fitted: on out-of-fold predictions of the training rows
 * (`scoring.calibration.on: out_of_fold`, three more fits per kind) or on the validation snapshot
 * (`validation`, no extra fit). One synthetic office, loaded once, trained both ways in turn; the
 * holdout (the newest snapshot, never used by either) judges both: log-loss, Brier, calibration
 * error, AUC, and the seconds each kind took (fits and calibration).
 *
 *   npx tsx bench/model/calibration.ts [--debtors 20000] [--seed 7] [--database postgres://…]
 *   (without --database: embedded PGlite in memory)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type RelanceConfig } from '../../src/config';
import { openDatabase, migrate } from '../../src/db';
import { silentLogger } from '../../src/core/log';
import { synthesize } from '../../src/synth';
import { extractSource, cleanAll } from '../../src/elt';
import { createResources } from '../../src/pipeline/resources';
import { trainOnOffice } from '../../src/pipeline/train-office';

const arg = (name: string, fallback?: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

async function main(): Promise<void> {
  const debtors = Number(arg('debtors', '20000'));
  const seed = Number(arg('seed', '7'));
  const listDate = '2026-11-24';
  const work = mkdtempSync(path.join(tmpdir(), 'relance-calibration-bench-'));
  const exportDir = path.join(work, 'latest');
  try {
    await synthesize({ debtors, seed, outDir: exportDir, asOf: listDate });
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    const db = await openDatabase({ url: arg('database') });
    await migrate(db);
    await extractSource(db, { ...base.sources[0]!, dir: exportDir } as never, { runId: 'bench', log: silentLogger });
    await cleanAll(db, { runId: 'bench', asOf: listDate, log: silentLogger });
    console.log(`${debtors.toLocaleString('en')} debtors, seed ${seed}, ${db.kind}, load average ${loadavg()[0]!.toFixed(1)} at start`);
    console.log('| calibration on | kind | seconds (fits + calibration) | holdout log-loss | Brier | ECE | AUC | cost |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const on of ['out_of_fold', 'validation'] as const) {
      const config = { ...base, scoring: { ...base.scoring, calibration: { ...base.scoring.calibration, on } } } as RelanceConfig;
      const resources = await createResources(config, { db, log: silentLogger });
      const training = await trainOnOffice(resources, { asOf: listDate, trigger: `bench-${on}` });
      for (const r of training.results) {
        const m = r.metrics;
        console.log(`| ${on} | ${r.kind} | ${r.fitSeconds.toFixed(1)} | ${m.logLoss.toFixed(5)} | ${m.brier.toFixed(5)} | ${m.ece.toFixed(4)} | ${m.auc.toFixed(4)} | ${m.cost.toFixed(4)} |`);
      }
    }
    await db.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
