/**
 * A stale list on the VICIdial target, against the real MariaDB server: the live leads stay, their
 * comments start with the French stale mark and their source_id ends with ` stale` (once, however
 * many nights fail); other lists are untouched; the next publication replaces the leads, mark and all.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { FixedClock, silentLogger } from '../../src/core';
import { buildAndPublishCallList, markVicidialListStale, STALE_COMMENT_PREFIX } from '../../src/ranking';
import { services, describeIfMariadb } from '../helpers/services';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { rankingConfig, seedDebtors } from './fixture';
import { VICIDIAL_LIST_DDL } from './vicidial-schema';

const LIST_DATE = '2026-11-24';

describeIfMariadb('stale list on the VICIdial target (MariaDB)', () => {
  const database = `relance_vici_stale_${randomBytes(4).toString('hex')}`;
  let admin: Connection;
  let url: string;
  let t: TestDatabase;

  beforeAll(async () => {
    admin = await createConnection({ uri: services.mariadbUrl });
    await admin.query(`CREATE DATABASE \`${database}\``);
    const u = new URL(services.mariadbUrl);
    u.pathname = '/' + database;
    url = u.toString();
    await admin.query(`USE \`${database}\``);
    await admin.query(VICIDIAL_LIST_DDL);
    await admin.query(`INSERT INTO vicidial_list (list_id, phone_number, status, vendor_lead_code, source_id, comments) VALUES (999, '600000000', 'NEW', 'other', 'relance 2026-11-01', 'autre liste')`);
    t = await freshPglite();
    await seedDebtors(t.db.knex, LIST_DATE, Array.from({ length: 12 }, (_, i) => ({ id: `S${String(i).padStart(2, '0')}`, pPay: 0.2 + i / 30, balance: 400 + 10 * i, timeZone: 'Europe/Paris', postalCode: '75011' })));
  }, 120_000);
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin?.end();
    await t?.close();
  });

  const leads = async (listId: number) =>
    (await admin.query(`SELECT vendor_lead_code, source_id, comments FROM vicidial_list WHERE list_id = ? ORDER BY vendor_lead_code`, [listId]))[0] as { vendor_lead_code: string; source_id: string; comments: string }[];

  it('marks the live leads once, leaves other lists alone, and the next publication clears the mark', async () => {
    const config = rankingConfig({ holdout: { share: 0 }, targets: [{ kind: 'vicidial', url, listId: 1001 }] });
    const target = config.ranking.targets[0]!;
    const published = await buildAndPublishCallList(t.db, { listDate: LIST_DATE, runId: 'night-1', config, log: silentLogger, clock: new FixedClock('2026-11-24T01:30:00Z') });
    const before = await leads(1001);
    expect(before.length).toBe(published.listed);
    expect(before.length).toBeGreaterThan(0);

    expect(await markVicidialListStale(target)).toBe(before.length);
    expect(await markVicidialListStale(target)).toBe(0);
    const after = await leads(1001);
    expect(after.map((l) => l.vendor_lead_code)).toEqual(before.map((l) => l.vendor_lead_code));
    after.forEach((l, i) => {
      expect(l.source_id).toBe(`relance ${LIST_DATE} stale`);
      expect(l.comments).toBe((STALE_COMMENT_PREFIX + before[i]!.comments).slice(0, 255));
    });
    expect(await leads(999)).toEqual([{ vendor_lead_code: 'other', source_id: 'relance 2026-11-01', comments: 'autre liste' }]);

    await buildAndPublishCallList(t.db, { listDate: LIST_DATE, runId: 'night-2', config, log: silentLogger, clock: new FixedClock('2026-11-25T01:30:00Z') });
    const republished = await leads(1001);
    expect(republished.every((l) => l.source_id === `relance ${LIST_DATE}` && !l.comments.startsWith(STALE_COMMENT_PREFIX))).toBe(true);
  });
});
