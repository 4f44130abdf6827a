/**
 * Call outcomes back in: the dialer's log of yesterday's list is pulled from MariaDB like any SQL
 * source, cleaned into clean.calls with relance's outcomes, and tonight's list sees it (a promise
 * made yesterday starts the quiet days of Regulation F).
 */
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { FixedClock, silentLogger } from '../../src/core';
import { cleanAll, extractSource } from '../../src/elt';
import { buildCallList, publishToVicidial, type CallList } from '../../src/ranking';
import { vicidialOutcomesSource } from '../../src/ranking/vicidial-outcomes';
import { services, describeIfMariadb } from '../helpers/services';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { rankingConfig } from './fixture';
import { VICIDIAL_LIST_DDL, VICIDIAL_LOG_DDL } from './vicidial-schema';

const YESTERDAY = '2026-11-24';
const TODAY = '2026-11-25';

function published(ids: string[], listDate = YESTERDAY): CallList {
  return {
    listDate,
    runId: 'run-y',
    modelVersionId: 'm1',
    settleShare: 0,
    candidates: ids.length,
    rows: ids.map((id, i) => ({
      teamId: 'equipe-1', rank: i + 1, debtorId: id, officeCode: 'ETU01',
      contact: { title: null, firstName: null, lastName: null, postalCode: null, country: 'FR' },
      phoneE164: `+3361234567${i}`, timeZone: id === 'D0000003' ? 'America/Martinique' : 'Europe/Paris',
      windowStart: new Date('2026-11-24T13:00:00Z'), windowEnd: new Date('2026-11-24T15:00:00Z'),
      pPay: 0.5, expectedAmount: 100, amountBasis: 'past_payments' as const, pContact: 0.3, expectedRecovery: 15, expectedMinutes: 2.85, priority: 5 - i, balance: 400, reasons: [], modelVersionId: 'm1',
    })),
    exclusions: [], deferred: [], holdout: [],
  };
}

describeIfMariadb('VICIdial call outcomes back in', () => {
  const database = `relance_vici_${randomBytes(4).toString('hex')}`;
  let admin: Connection;
  let url: string;
  let t: TestDatabase;

  beforeAll(async () => {
    admin = await createConnection({ uri: services.mariadbUrl });
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.query(`USE \`${database}\``);
    await admin.query(VICIDIAL_LIST_DDL);
    await admin.query(VICIDIAL_LOG_DDL);
    const u = new URL(services.mariadbUrl);
    u.pathname = '/' + database;
    url = u.toString();
    t = await freshPglite();
  }, 120_000);
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin?.end();
    await t?.close();
  });

  it('pulls the dials into clean.calls with relance outcomes and local times, and tonight’s list applies them', async () => {
    await publishToVicidial(published(['D0000001', 'D0000002', 'D0000003']), { kind: 'vicidial', url, listId: 1001 }, { clock: new FixedClock('2026-11-24T01:30:00Z') });
    const [leads] = await admin.query(`SELECT lead_id, vendor_lead_code, phone_code, phone_number FROM vicidial_list WHERE list_id = 1001`);
    const byDebtor = new Map((leads as { lead_id: number; vendor_lead_code: string; phone_code: string; phone_number: string }[]).map((l) => [l.vendor_lead_code, l]));
    // 14:05 UTC: 15:05 in Paris, 10:05 in Martinique.
    const epoch = Date.parse('2026-11-24T14:05:00Z') / 1000;
    const dial = (uniqueid: string, debtor: string, status: string, length: number, offset = 0) => {
      const l = byDebtor.get(debtor)!;
      return admin.query(`INSERT INTO vicidial_log (uniqueid, lead_id, list_id, campaign_id, call_date, start_epoch, end_epoch, length_in_sec, status, phone_code, phone_number, user) VALUES (?, ?, 1001, 'RELANCE', FROM_UNIXTIME(?), ?, ?, ?, ?, ?, ?, 'agent7')`, [uniqueid, l.lead_id, epoch + offset, epoch + offset, epoch + offset + length, length, status, l.phone_code, l.phone_number]);
    };
    await dial('1732457100.1', 'D0000001', 'PTP', 240);
    await dial('1732457100.2', 'D0000002', 'NA', 0, 60);
    await dial('1732457100.3', 'D0000003', 'B', 0, 120);
    await dial('1732457100.4', 'D0000002', 'XYZ', 95, 600);
    // The debtors, as the office export would have loaded them.
    await t.db.knex('raw.debtors').insert(['D0000001', 'D0000002', 'D0000003'].map((id, i) => ({ debtor_id: id, office_code: 'ETU01', last_name: `N${i}`, first_name: 'P', birth_date: `198${i}-01-01`, postal_code: id === 'D0000003' ? '97200' : '75011', country: 'FR', do_not_call: 'N', _load_id: 'L0', _source: 'office_csv' })));

    const source = vicidialOutcomesSource({ name: 'vicidial_outcomes', url });
    const reports = await extractSource(t.db, source, { runId: 'run-t', log: silentLogger, today: TODAY });
    expect(reports[0]).toMatchObject({ rowsRead: 4, rowsLoaded: 4, rowsQuarantined: 0, watermark: String(epoch + 600) });
    await cleanAll(t.db, { runId: 'run-t', log: silentLogger });
    const calls = (await t.db.knex('clean.calls').orderBy('call_id').select('call_id', 'debtor_id', 'outcome', 'duration_s', 'phone_e164', 'agent', t.db.knex.raw(`to_char(called_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as utc`))) as Record<string, unknown>[];
    expect(calls).toEqual([
      { call_id: 'VD1732457100.1', debtor_id: 'D0000001', outcome: 'promise', duration_s: 240, phone_e164: '+33612345670', agent: 'agent7', utc: '2026-11-24 14:05' },
      { call_id: 'VD1732457100.2', debtor_id: 'D0000002', outcome: 'no_answer', duration_s: 0, phone_e164: '+33612345671', agent: 'agent7', utc: '2026-11-24 14:06' },
      { call_id: 'VD1732457100.3', debtor_id: 'D0000003', outcome: 'busy', duration_s: 0, phone_e164: '+33612345672', agent: 'agent7', utc: '2026-11-24 14:07' },
      { call_id: 'VD1732457100.4', debtor_id: 'D0000002', outcome: 'right_party_contact', duration_s: 95, phone_e164: '+33612345671', agent: 'agent7', utc: '2026-11-24 14:15' },
    ]);
    // A second pull starts after the watermark: nothing new, nothing duplicated.
    const again = await extractSource(t.db, source, { runId: 'run-t2', log: silentLogger, today: TODAY });
    expect(again[0]).toMatchObject({ rowsRead: 0 });

    // Tonight: the promise and the conversation of yesterday keep D0000001 and D0000002 off the list.
    await t.db.knex('scoring.scores').insert(['D0000001', 'D0000002', 'D0000003'].map((id) => ({ as_of: TODAY, debtor_id: id, model_version_id: 'm1', p_pay: 0.5, raw_score: 0, expected_value: 0, explanation: '[]' })));
    const list = await buildCallList(t.db, { listDate: TODAY, runId: 'run-t', ranking: rankingConfig().ranking, timeZone: 'Europe/Paris' });
    const quiet = list.exclusions.filter((e) => e.rule === 'after_conversation').map((e) => e.debtorId);
    expect(quiet).toEqual(['D0000001', 'D0000002']);
  });

  it('turns a DNC status into a do-not-call request for the debtor and the number, and a PTP with its custom fields into a promise', async () => {
    // The agent screen's custom fields of the list: the promised amount and due date.
    await admin.query(`CREATE TABLE custom_1001 (lead_id INT(9) UNSIGNED PRIMARY KEY NOT NULL, montant_promis VARCHAR(20), date_echeance VARCHAR(10))`);
    const ids = ['D0000004', 'D0000005', 'D0000006'];
    await publishToVicidial(published(ids, '2026-11-26'), { kind: 'vicidial', url, listId: 1001 }, { clock: new FixedClock('2026-11-26T01:30:00Z') });
    const [leads] = await admin.query(`SELECT lead_id, vendor_lead_code, phone_code, phone_number FROM vicidial_list WHERE list_id = 1001`);
    const byDebtor = new Map((leads as { lead_id: number; vendor_lead_code: string; phone_code: string; phone_number: string }[]).map((l) => [l.vendor_lead_code, l]));
    const epoch = Date.parse('2026-11-26T10:00:00Z') / 1000;
    const dial = (uniqueid: string, debtor: string, status: string, offset: number) => {
      const l = byDebtor.get(debtor)!;
      return admin.query(`INSERT INTO vicidial_log (uniqueid, lead_id, list_id, campaign_id, call_date, start_epoch, end_epoch, length_in_sec, status, phone_code, phone_number, user) VALUES (?, ?, 1001, 'RELANCE', FROM_UNIXTIME(?), ?, ?, 90, ?, ?, ?, 'agent7')`, [uniqueid, l.lead_id, epoch + offset, epoch + offset, epoch + offset + 90, status, l.phone_code, l.phone_number]);
    };
    await dial('1732615200.4', 'D0000004', 'DNC', 0);
    await dial('1732615200.5', 'D0000005', 'PTP', 60);
    await dial('1732615200.6', 'D0000006', 'PTP', 120);
    await admin.query(`INSERT INTO custom_1001 (lead_id, montant_promis, date_echeance) VALUES (?, '120,50', '10/12/2026'), (?, 'cent euros', '2026-12-10')`, [byDebtor.get('D0000005')!.lead_id, byDebtor.get('D0000006')!.lead_id]);
    await t.db.knex('raw.debtors').insert(ids.map((id) => ({ debtor_id: id, office_code: 'ETU01', last_name: `N${id}`, first_name: 'P', postal_code: '75011', country: 'FR', do_not_call: 'N', _load_id: 'L0', _source: 'office_csv' })));
    await t.db.knex('raw.cases').insert(ids.map((id) => ({ case_id: `${id}-C1`, debtor_id: id, office_code: 'ETU01', principal: '800.00', fees: '0', opened_on: '2025-01-10', legal_stage: 'AMI', status: 'EN_COURS', disputed: '0', _load_id: 'L0', _source: 'office_csv' })));

    const source = vicidialOutcomesSource({ name: 'vicidial_outcomes_2', url, promiseFields: { table: 'custom_1001', amount: 'montant_promis', dueOn: 'date_echeance' } });
    const reports = await extractSource(t.db, source, { runId: 'run-u', log: silentLogger, today: '2026-11-27' });
    expect(reports[0]).toMatchObject({ rowsRead: 3, rowsLoaded: 3, rowsQuarantined: 0 });
    await cleanAll(t.db, { runId: 'run-u', log: silentLogger });

    const calls = (await t.db.knex('clean.calls').whereIn('debtor_id', ids).orderBy('call_id').select('call_id', 'outcome', 'do_not_call')) as Record<string, unknown>[];
    expect(calls).toEqual([
      { call_id: 'VD1732615200.4', outcome: 'refusal', do_not_call: true },
      { call_id: 'VD1732615200.5', outcome: 'promise', do_not_call: false },
      { call_id: 'VD1732615200.6', outcome: 'promise', do_not_call: false },
    ]);
    const requests = await t.db.knex('dialer.contact_requests').select('debtor_id', 'phone_e164', 'kind', 'source', 'source_ref', t.db.knex.raw('requested_on::text as requested_on'), 'lifted_on');
    expect(requests).toEqual([{ debtor_id: 'D0000004', phone_e164: '+33612345670', kind: 'do_not_call', source: 'calls', source_ref: 'VD1732615200.4', requested_on: '2026-11-26', lifted_on: null }]);
    const promises = await t.db.knex('clean.promises').whereIn('debtor_id', ids).select('promise_id', 'case_id', t.db.knex.raw('promised_on::text as promised_on'), t.db.knex.raw('amount::float8 as amount'), t.db.knex.raw('due_on::text as due_on'));
    expect(promises).toEqual([{ promise_id: 'call:VD1732615200.5', case_id: 'D0000005-C1', promised_on: '2026-11-26', amount: 120.5, due_on: '2026-12-10' }]);

    // Weeks later, past the quiet days of the refusal, the request still stands.
    await t.db.knex('scoring.scores').insert(ids.map((id) => ({ as_of: '2027-01-12', debtor_id: id, model_version_id: 'm1', p_pay: 0.5, raw_score: 0, expected_value: 0, explanation: '[]' })));
    const list = await buildCallList(t.db, { listDate: '2027-01-12', runId: 'run-v', ranking: rankingConfig().ranking, timeZone: 'Europe/Paris' });
    expect(list.exclusions.filter((e) => e.debtorId === 'D0000004').map((e) => e.rule)).toContain('do_not_call');
    expect(list.exclusions.filter((e) => e.debtorId === 'D0000005').map((e) => e.rule)).not.toContain('do_not_call');
  });
});
