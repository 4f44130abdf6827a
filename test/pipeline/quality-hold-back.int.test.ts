/**
 * A failed quality check in the nightly clean holds the list back like a stale export: the
 * published list is marked stale with the failed check as reason and a `quality` alert goes out;
 * the retrain DAG's clean (no hold-back) leaves the published list alone.
 */
import { compileConfig } from '../../src/config';
import { FixedClock, silentLogger } from '../../src/core';
import { extractSource } from '../../src/elt';
import { cleanStep } from '../../src/pipeline/nightly-steps';
import { createResources } from '../../src/pipeline/resources';
import { engines } from '../helpers/db';
import { SMALL_EXPORT, officeSource, run, shippedConfig } from '../elt/elt-fixtures';

describe.each(engines)('quality failure holds the list back ($name)', ({ open }) => {
  test('the published list is marked stale and a quality alert names the failed check', async () => {
    const t = await open();
    try {
      const base = shippedConfig();
      const config = compileConfig({ ...base, sources: [officeSource(SMALL_EXPORT)], quality: { ...base.quality, minDebtors: 1000 } });
      const clock = new FixedClock('2026-11-25T01:10:00Z');
      const resources = await createResources(config, { db: t.db, clock, log: silentLogger });
      await extractSource(t.db, config.sources[0]!, run('night-2'));
      await t.db.knex('dialer.publications').insert({ list_date: '2026-11-24', run_id: 'night-1', candidates: 3, listed: 3, excluded: 0, deferred: 0, holdout: 0, expected_recovery: 10, published_at: '2026-11-24T01:30:00Z' });

      // The retrain DAG's clean fails the same way but does not touch the published list.
      await expect(cleanStep(resources, { runId: 'retrain-1', asOf: '2026-11-25', log: silentLogger })).rejects.toMatchObject({ name: 'QualityCheckError' });
      expect(await t.db.knex('dialer.publications').where({ list_date: '2026-11-24' }).first('stale')).toEqual({ stale: false });

      await expect(cleanStep(resources, { runId: 'night-2', asOf: '2026-11-25', log: silentLogger, holdBack: true })).rejects.toMatchObject({ name: 'QualityCheckError', retryable: false });
      const pub = await t.db.knex('dialer.publications').where({ list_date: '2026-11-24' }).first();
      expect(pub).toMatchObject({ stale: true, stale_run_id: 'night-2' });
      expect(new Date(pub.stale_since).toISOString()).toBe('2026-11-25T01:10:00.000Z');
      expect(pub.stale_reason).toMatch(/clean\.debtors holds \d+ debtors \(at least 1000 required\)/);
      const alerts = (await t.db.knex('monitoring.alerts').select('kind', 'severity', 'message')) as { kind: string; severity: string; message: string }[];
      expect(alerts.map((a) => [a.kind, a.severity])).toEqual([['quality', 'critical']]);
      expect(alerts[0]!.message).toMatch(/^no new call list for 2026-11-25: .*; the list of 2026-11-24 stays published, marked stale since 2026-11-25T01:10:00.000Z$/);
    } finally {
      await t.close();
    }
  });
});
