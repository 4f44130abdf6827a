/**
 * Drift monitoring on real offices: the feature snapshot of an office drawn from the same
 * population as the reference office shows no dataset drift; one drawn from a shifted population
 * (`relance synth --shift crisis`) does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { synthesize } from '../../src/synth';
import { extractSource, cleanAll } from '../../src/elt';
import { computeFeatureSnapshot, readFeatureRows, toModelFrame, type ModelFrame } from '../../src/features';
import { driftAgainstReference } from '../../src/pipeline/monitoring-steps';
import { silentLogger } from '../../src/core/log';
import { engines } from '../helpers/db';

const AS_OF = '2026-11-24';
// the fastest engine available: Postgres when reachable, else PGlite
const engine = engines[engines.length - 1]!;

describe(`drift against a reference office (${engine.name})`, () => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-drift-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const config = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });

  async function snapshotOf(name: string, seed: number, shift?: string): Promise<ModelFrame> {
    const dir = path.join(work, name);
    await synthesize({ debtors: 2500, seed, outDir: dir, asOf: AS_OF, shift });
    const t = await engine.open();
    try {
      await extractSource(t.db, { ...config.sources[0]!, dir } as never, { runId: name, log: silentLogger });
      await cleanAll(t.db, { runId: name, asOf: AS_OF, log: silentLogger } as never);
      await computeFeatureSnapshot(t.db, { asOf: AS_OF, timeZone: config.timezone, current: true });
      return toModelFrame(await readFeatureRows(t.db, AS_OF));
    } finally {
      await t.close();
    }
  }

  test('an unchanged population is not flagged; a shifted one is', async () => {
    const reference = await snapshotOf('reference', 101);
    const sample = {
      featureNames: reference.featureNames,
      rows: Array.from({ length: reference.nRows }, (_, i) => Array.from(reference.data.subarray(i * reference.nCols, (i + 1) * reference.nCols), (v) => (Number.isNaN(v) ? null : v))),
    };
    const same = driftAgainstReference(sample, await snapshotOf('same', 202), 0.5);
    const shifted = driftAgainstReference(sample, await snapshotOf('shifted', 202, 'crisis'), 0.5);

    expect(same.dataset.datasetDrift).toBe(false);
    expect(shifted.dataset.datasetDrift).toBe(true);
    expect(shifted.dataset.nDrifted).toBeGreaterThan(same.dataset.nDrifted);
    // the shift moved ages and balances: those features are among the drifted ones
    const drifted = shifted.columns.filter((c) => c.drift).map((c) => c.feature);
    expect(drifted).toEqual(expect.arrayContaining(['age_years', 'principal_total']));
  });
});
