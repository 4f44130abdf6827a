/**
 * A missing drop folder is worth another try of the extract task only until the source's
 * `freshness.waitForExportUntil` (office time): the real extract step, the real error, the task
 * retry policy deciding with the fake clock's time.
 */
import os from 'node:os';
import path from 'node:path';
import { compileConfig } from '../../src/config';
import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { shouldRetry } from '../../src/dag';
import { createResources } from '../../src/pipeline/resources';
import { exportWaitUntil, extractStep } from '../../src/pipeline/nightly-steps';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { officeSource } from '../elt/elt-fixtures';

describe('waiting for a missing export', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshPglite();
  });
  afterAll(() => database.close());

  const missing = path.join(os.tmpdir(), 'relance-export-not-yet-dropped');
  const failure = async (waitForExportUntil: string | undefined, at: string): Promise<{ error: unknown; now: Date }> => {
    const source = officeSource(missing, { freshness: { enabled: true, maxAgeHours: 26, minRowsRatio: 0.5, ...(waitForExportUntil ? { waitForExportUntil } : {}) } });
    const clock = new FixedClock(at);
    const resources = await createResources(compileConfig({ timezone: 'Europe/Paris', sources: [source] }), { db: database.db, clock, log: silentLogger });
    const error = await extractStep(resources, source.name, { runId: 'r', log: silentLogger }).then(() => undefined, (e: unknown) => e);
    return { error, now: clock.now() };
  };

  it('is retried before the configured time, not after, and not without one', async () => {
    const early = await failure('06:00', '2026-11-24T04:30:00Z'); // 05:30 in Paris
    expect(early.error).toMatchObject({ name: 'SourceMissingError', waitUntil: '2026-11-24T05:00:00.000Z' });
    expect(shouldRetry({ retries: 2 }, 1, early.error, early.now)).toBe(true);
    const late = await failure('06:00', '2026-11-24T05:30:00Z'); // 06:30 in Paris
    expect(shouldRetry({ retries: 2 }, 1, late.error, late.now)).toBe(false);
    const none = await failure(undefined, '2026-11-24T04:30:00Z');
    expect(none.error).toMatchObject({ name: 'SourceMissingError', waitUntil: undefined });
    expect(shouldRetry({ retries: 2 }, 1, none.error, none.now)).toBe(false);
  });

  it('reads the time in the office time zone, summer time included', () => {
    expect(exportWaitUntil({ waitForExportUntil: '06:00' }, 'Europe/Paris', new Date('2026-07-01T02:00:00Z'))?.toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(exportWaitUntil({}, 'Europe/Paris', new Date('2026-07-01T02:00:00Z'))).toBeUndefined();
  });
});
