/**
 * The VICIdial target against the real MariaDB server: the list lands in vicidial_list under its
 * list id with VICIdial's own columns, ordered for UP RANK, replacing the previous leads of that
 * list and nothing else; a re-run leaves the same leads.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { FixedClock, silentLogger } from '../../src/core';
import { buildAndPublishCallList, publishToVicidial, toVicidialLeads, type CallList } from '../../src/ranking';
import { splitE164 } from '../../src/ranking/vicidial';
import { services, describeIfMariadb } from '../helpers/services';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { rankingConfig, seedDebtors } from './fixture';
import { VICIDIAL_LIST_DDL } from './vicidial-schema';

const LIST_DATE = '2026-11-24';
const clock = new FixedClock('2026-11-24T01:30:00Z');

describe('VICIdial leads', () => {
  it('splits E.164 numbers into country code and national number', () => {
    expect(splitE164('+33612345678')).toEqual({ phoneCode: '33', phoneNumber: '612345678' });
    expect(splitE164('+590690123456')).toEqual({ phoneCode: '590', phoneNumber: '690123456' });
    expect(splitE164('+12125550123')).toEqual({ phoneCode: '1', phoneNumber: '2125550123' });
    expect(() => splitE164('0612')).toThrow(/E\.164/);
  });
});

describeIfMariadb('VICIdial target on MariaDB', () => {
  const database = `relance_vici_${randomBytes(4).toString('hex')}`;
  let admin: Connection;
  let url: string;
  let t: TestDatabase;
  let list: CallList;

  beforeAll(async () => {
    admin = await createConnection({ uri: services.mariadbUrl });
    await admin.query(`CREATE DATABASE \`${database}\``);
    const u = new URL(services.mariadbUrl);
    u.pathname = '/' + database;
    url = u.toString();
    await admin.query(`USE \`${database}\``);
    await admin.query(VICIDIAL_LIST_DDL);
    // Leads of another list, which a publication must not touch.
    await admin.query(`INSERT INTO vicidial_list (list_id, phone_number, status, vendor_lead_code) VALUES (999, '600000000', 'NEW', 'other')`);
    t = await freshPglite();
    await seedDebtors(
      t.db.knex,
      LIST_DATE,
      Array.from({ length: 25 }, (_, i) => ({ id: `V${String(i).padStart(2, '0')}`, pPay: 0.1 + i / 40, balance: 300 + 20 * i, timeZone: i === 3 ? 'America/Martinique' : 'Europe/Paris', postalCode: i === 3 ? '97200' : '75011' })),
    );
  }, 120_000);
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin?.end();
    await t?.close();
  });

  async function leads(): Promise<Record<string, unknown>[]> {
    const [rows] = await admin.query(`SELECT list_id, vendor_lead_code, status, phone_code, phone_number, gmt_offset_now, called_since_last_reset, \`rank\`, owner, comments FROM vicidial_list ORDER BY list_id, \`rank\` DESC`);
    return rows as Record<string, unknown>[];
  }

  it('publishes through the nightly step to the configured target, in UP RANK order', async () => {
    const config = rankingConfig({ holdout: { share: 0 }, targets: [{ kind: 'vicidial', url, listId: 1001 }] });
    const report = await buildAndPublishCallList(t.db, { listDate: LIST_DATE, runId: 'run-1', config, log: silentLogger, clock });
    expect(report.targets).toEqual([{ listId: 1001, leads: report.listed, replaced: 0 }]);
    const rows = (await leads()).filter((r) => Number(r.list_id) === 1001);
    expect(rows.length).toBe(report.listed);
    const published = (await t.db.knex('dialer.call_list').where({ list_date: LIST_DATE }).orderBy('rank')) as { debtor_id: string; phone_e164: string }[];
    // Highest VICIdial rank first = rank 1 of the call list first.
    expect(rows.map((r) => r.vendor_lead_code)).toEqual(published.map((r) => r.debtor_id));
    expect(rows.map((r) => Number(r.rank))).toEqual(rows.map((_, i) => rows.length - i));
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'NEW', called_since_last_reset: 'N', owner: 'equipe-1', phone_code: '33' });
      expect(String(r.phone_number)).toMatch(/^\d{9}$/);
    }
    const martinique = rows.find((r) => r.vendor_lead_code === 'V03');
    if (martinique) expect(Number(martinique.gmt_offset_now)).toBe(-4);
    expect(Number(rows.find((r) => r.vendor_lead_code !== 'V03')?.gmt_offset_now)).toBe(1);
    list = { listDate: LIST_DATE, runId: 'run-1', modelVersionId: 'logistic-v1', settleShare: 0, candidates: 0, rows: [], exclusions: [], deferred: [], holdout: [] };
  });

  it('replaces the previous leads of the list and no other, leaving the same leads on a re-run', async () => {
    const config = rankingConfig({ holdout: { share: 0 }, targets: [{ kind: 'vicidial', url, listId: 1001 }] });
    const before = await leads();
    const report = await buildAndPublishCallList(t.db, { listDate: LIST_DATE, runId: 'run-1', config, log: silentLogger, clock });
    expect(report.targets[0]?.replaced).toBe(report.listed);
    expect(await leads()).toEqual(before);
    expect(before.filter((r) => Number(r.list_id) === 999)).toHaveLength(1);
    const [staging] = await admin.query(`SELECT count(*) AS n FROM vicidial_list WHERE list_id > 1000000000`);
    expect(Number((staging as { n: number }[])[0]?.n)).toBe(0);
    // An empty list empties the dialer's list.
    expect(await publishToVicidial(list, { kind: 'vicidial', url, listId: 1001 }, { clock })).toEqual({ listId: 1001, leads: 0, replaced: report.listed });
    expect((await leads()).map((r) => Number(r.list_id))).toEqual([999]);
    expect(toVicidialLeads(list, 1001, clock)).toEqual([]);
  });
});
