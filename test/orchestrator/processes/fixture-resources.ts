/** The fixture DAGs' resources factory, loadable by path (worker threads build their own). */
import type { RelanceConfig } from '../../../src/config';
import { openDatabase } from '../../../src/db';
import type { FixtureResources } from '../../fixtures/dags/fixture-rows';

export default async function fixtureResources(config: RelanceConfig): Promise<FixtureResources> {
  const db = await openDatabase({ url: config.database.url, poolMax: 2, applicationName: 'relance-fixture-thread' });
  return { db, close: () => db.close() };
}
