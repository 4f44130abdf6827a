/**
 * Compliance holds whatever the source says: a do-not-call request from the dialer or the office's
 * export keeps the debtor (and the number) off every list until it is lifted; a promise taken on
 * the phone becomes a promise with its amount and due date; a debtor with a disputed case that is
 * not settled or written off is never listed, whatever the case's status; public holidays follow
 * the debtor's region.
 */
import { silentLogger } from '../../src/core';
import { cleanAll } from '../../src/elt';
import { computeFeatureSnapshot } from '../../src/features';
import { buildCallList, type CallList } from '../../src/ranking';
import { engines, type TestDatabase } from '../helpers/db';
import { rankingConfig, seedDebtors } from './fixture';

const ranking = rankingConfig({ teams: [{ id: 'equipe-1', agents: 5, hours: '08:00-20:00' }], holdout: { share: 0 } }).ranking;

async function listOf(t: TestDatabase, listDate: string, debtors: readonly string[]): Promise<CallList> {
  await t.db.knex('scoring.scores').where({ as_of: listDate }).delete();
  await t.db.knex('scoring.scores').insert(debtors.map((id) => ({ as_of: listDate, debtor_id: id, model_version_id: 'm1', p_pay: 0.5, raw_score: 0, expected_value: 0, explanation: '[]' })));
  return buildCallList(t.db, { listDate, runId: `run-${listDate}`, ranking, timeZone: 'Europe/Paris' });
}

const rulesOf = (list: CallList, debtorId: string): string[] => list.exclusions.filter((e) => e.debtorId === debtorId).map((e) => e.rule).sort();
const listed = (list: CallList): Map<string, string | null> => new Map(list.rows.map((r) => [r.debtorId, r.phoneE164]));

/** Office export rows for a few debtors, each with one open case and its phones. */
async function loadOffice(t: TestDatabase, loadId: string, debtors: { id: string; doNotCall?: 'O' | 'N'; postalCode?: string; phones: string[] }[]): Promise<void> {
  await t.db.knex('raw.debtors').insert(debtors.map((d) => ({ debtor_id: d.id, office_code: 'ETU01', last_name: `Nom${d.id}`, first_name: 'P', postal_code: d.postalCode ?? '75011', country: 'FR', do_not_call: d.doNotCall ?? 'N', updated_on: '2026-10-01', _load_id: loadId, _source: 'office_csv' })));
  await t.db.knex('raw.cases').insert(debtors.map((d) => ({ case_id: `${d.id}-C1`, debtor_id: d.id, office_code: 'ETU01', creditor: 'BANQUE', principal: '1000.00', fees: '0', opened_on: '2025-01-10', legal_stage: 'AMI', status: 'EN_COURS', disputed: '0', _load_id: loadId, _source: 'office_csv' })));
  await t.db.knex('raw.phones').insert(debtors.flatMap((d) => d.phones.map((phone, i) => ({ debtor_id: d.id, phone, phone_type: i === 0 ? 'MOBILE' : 'FIXE', added_on: '2025-01-10', _load_id: loadId, _source: 'office_csv' }))));
}

describe.each(engines)('compliance from every source on $name', ({ open }) => {
  describe('do-not-call requests', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await open();
      await loadOffice(t, 'L0', [
        { id: 'D1', phones: ['0612000001'] },
        { id: 'D2', phones: ['0612000002'] },
        // D3 shares D1's mobile and has a landline of its own.
        { id: 'D3', phones: ['0612000001', '0145000003'] },
        { id: 'D4', doNotCall: 'O', phones: ['0612000004'] },
      ]);
      // The dialer's results: D1 asked not to be called (VICIdial DNC → OPP), D2 refused (a pause only).
      await t.db.knex('raw.calls').insert([
        { call_id: 'VD1', debtor_id: 'D1', phone: '+33612000001', called_at: '2026-11-02 10:15:00', duration_s: '40', outcome: 'OPP', agent: 'a7', _load_id: 'L1', _source: 'vicidial' },
        { call_id: 'VD2', debtor_id: 'D2', phone: '+33612000002', called_at: '2026-11-02 10:20:00', duration_s: '40', outcome: 'REF', agent: 'a7', _load_id: 'L1', _source: 'vicidial' },
      ]);
      await cleanAll(t.db, { runId: 'run-c1', log: silentLogger });
    }, 120_000);
    afterAll(async () => t?.close());

    it('records the dialer’s do-not-call with its debtor, number and source, and the export’s flag', async () => {
      const requests = (await t.db.knex('dialer.contact_requests').orderBy('debtor_id').select('debtor_id', 'phone_e164', 'kind', 'source', t.db.knex.raw('requested_on::text as requested_on'), 'lifted_on')) as Record<string, unknown>[];
      expect(requests).toEqual([
        { debtor_id: 'D1', phone_e164: '+33612000001', kind: 'do_not_call', source: 'calls', requested_on: '2026-11-02', lifted_on: null },
        { debtor_id: 'D4', phone_e164: null, kind: 'do_not_call', source: 'office_export', requested_on: '2026-10-01', lifted_on: null },
      ]);
      // The call itself stays a refusal: a conversation that starts the quiet days.
      expect(await t.db.knex('clean.calls').where({ call_id: 'VD1' }).first('outcome')).toEqual({ outcome: 'refusal' });
    });

    it('keeps the debtor off every list and the number off every debtor, not only for 7 days', async () => {
      for (const listDate of ['2026-11-25', '2027-03-02']) {
        const list = await listOf(t, listDate, ['D1', 'D2', 'D3', 'D4']);
        expect(rulesOf(list, 'D1')).toEqual(['do_not_call', 'no_valid_phone']);
        expect(rulesOf(list, 'D2')).toEqual([]);
        expect(listed(list).get('D3')).toBe('+33145000003');
        expect(rulesOf(list, 'D4')).toEqual(['do_not_call']);
        // The detail says where each standing request comes from.
        expect(list.exclusions.find((e) => e.debtorId === 'D1' && e.rule === 'do_not_call')?.detail).toBe('do-not-call request (calls since 2026-11-02)');
        expect(list.exclusions.find((e) => e.debtorId === 'D4' && e.rule === 'do_not_call')?.detail).toBe('do-not-call request (export flag, office_export since 2026-10-01)');
      }
    });

    it('a flag that disappears from the export is not a lift: the request stays', async () => {
      await t.db.knex('raw.debtors').insert({ debtor_id: 'D4', office_code: 'ETU01', last_name: 'NomD4', first_name: 'P', postal_code: '75011', country: 'FR', do_not_call: 'N', updated_on: '2026-11-25', _load_id: 'L2', _source: 'office_csv' });
      await cleanAll(t.db, { runId: 'run-c2', log: silentLogger });
      const list = await listOf(t, '2026-11-26', ['D4']);
      expect(rulesOf(list, 'D4')).toEqual(['do_not_call']);
    });

    it('a lifted request allows calls again from its lift date, and the next cleaning does not bring it back', async () => {
      await t.db.knex('dialer.contact_requests').whereIn('debtor_id', ['D1', 'D4']).update({ lifted_on: '2026-12-01', lift_note: 'accord écrit du débiteur' });
      await cleanAll(t.db, { runId: 'run-c3', log: silentLogger });
      const before = await listOf(t, '2026-11-30', ['D1', 'D3', 'D4']);
      expect(rulesOf(before, 'D1')).toEqual(['do_not_call', 'no_valid_phone']);
      expect(rulesOf(before, 'D4')).toEqual(['do_not_call']);
      const after = await listOf(t, '2026-12-02', ['D1', 'D3', 'D4']);
      expect(rulesOf(after, 'D1')).toEqual([]);
      expect(rulesOf(after, 'D4')).toEqual([]);
      expect(listed(after).get('D1')).toBe('+33612000001');
      // D3's mobile, lifted with D1's request, is its best number again.
      expect(listed(after).get('D3')).toBe('+33612000001');
    });
  });

  describe('promises taken on the phone', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await open();
      await loadOffice(t, 'L0', [{ id: 'P1', phones: ['0612000011'] }, { id: 'P2', phones: ['0612000012'] }]);
      await t.db.knex('raw.calls').insert([
        { call_id: 'VD11', debtor_id: 'P1', phone: '+33612000011', called_at: '2026-11-20 18:30:00', duration_s: '200', outcome: 'PROM', promise_amount: '150.50', promise_due_on: '2026-12-05', agent: 'a7', _load_id: 'L1', _source: 'vicidial' },
        // The same promise read again on a later call is kept once.
        { call_id: 'VD13', debtor_id: 'P1', phone: '+33612000011', called_at: '2026-11-23 09:10:00', duration_s: '60', outcome: 'PROM', promise_amount: '150.50', promise_due_on: '2026-12-05', agent: 'a7', _load_id: 'L1', _source: 'vicidial' },
        // A promise without amount or due date is a promise outcome, not a promise row.
        { call_id: 'VD12', debtor_id: 'P2', phone: '+33612000012', called_at: '2026-11-20 18:35:00', duration_s: '200', outcome: 'PROM', agent: 'a7', _load_id: 'L1', _source: 'vicidial' },
      ]);
      await cleanAll(t.db, { runId: 'run-p', log: silentLogger });
    }, 120_000);
    afterAll(async () => t?.close());

    it('creates a promise with the dialer’s amount and due date on the debtor’s open case', async () => {
      const promises = (await t.db.knex('clean.promises').orderBy('promise_id').select('promise_id', 'case_id', 'debtor_id', t.db.knex.raw('promised_on::text as promised_on'), t.db.knex.raw('amount::float8 as amount'), t.db.knex.raw('due_on::text as due_on'))) as Record<string, unknown>[];
      expect(promises).toEqual([{ promise_id: 'call:VD11', case_id: 'P1-C1', debtor_id: 'P1', promised_on: '2026-11-20', amount: 150.5, due_on: '2026-12-05' }]);
      // Tonight's features and list start from it: the open promise is the expected amount.
      await computeFeatureSnapshot(t.db, { asOf: '2026-11-30', timeZone: 'Europe/Paris', current: true });
      const features = await t.db.knex('features.debtor_features').where({ as_of: '2026-11-30' }).orderBy('debtor_id').select('debtor_id', t.db.knex.raw('open_promise_amount::float8 as open'));
      expect(features).toEqual([{ debtor_id: 'P1', open: 150.5 }, { debtor_id: 'P2', open: 0 }]);
      const list = await listOf(t, '2026-11-30', ['P1', 'P2']);
      expect(list.rows.find((r) => r.debtorId === 'P1')).toMatchObject({ amountBasis: 'open_promise', expectedAmount: 150.5 });
    });
  });

  describe('disputed cases', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await open();
      await seedDebtors(t.db.knex, '2026-11-25', [{ id: 'S-SUSP' }, { id: 'S-SETTLED' }, { id: 'S-WOFF' }, { id: 'S-NULL' }, { id: 'S-CLEAR' }]);
      // Each has an open case; a second case is disputed with another status.
      await t.db.knex('clean.cases').insert([
        { case_id: 'S-SUSP-C2', debtor_id: 'S-SUSP', office_code: 'ETU01', principal: 500, fees: 0, opened_on: '2025-03-01', legal_stage: 'amicable', status: 'suspended', disputed: true },
        { case_id: 'S-SETTLED-C2', debtor_id: 'S-SETTLED', office_code: 'ETU01', principal: 500, fees: 0, opened_on: '2025-03-01', legal_stage: 'amicable', status: 'settled', disputed: true },
        { case_id: 'S-WOFF-C2', debtor_id: 'S-WOFF', office_code: 'ETU01', principal: 500, fees: 0, opened_on: '2025-03-01', legal_stage: 'seizure', status: 'written_off', disputed: true },
        // A status the cleaning could not read: not known to be closed, so the dispute counts.
        { case_id: 'S-NULL-C2', debtor_id: 'S-NULL', office_code: 'ETU01', principal: 500, fees: 0, opened_on: '2025-03-01', legal_stage: 'amicable', status: null, disputed: true },
      ]);
    }, 120_000);
    afterAll(async () => t?.close());

    it('excludes a debtor whose disputed case is suspended (or of unknown status), not one whose disputed case is settled or written off', async () => {
      const list = await buildCallList(t.db, { listDate: '2026-11-25', runId: 'run-d', ranking, timeZone: 'Europe/Paris' });
      expect(rulesOf(list, 'S-SUSP')).toEqual(['disputed']);
      expect(rulesOf(list, 'S-NULL')).toEqual(['disputed']);
      expect(rulesOf(list, 'S-SETTLED')).toEqual([]);
      expect(rulesOf(list, 'S-WOFF')).toEqual([]);
      expect(listed(list).has('S-CLEAR')).toBe(true);
    });
  });

  describe('public holidays by region', () => {
    let t: TestDatabase;
    // Postal code of each region, and a weekday that is a public holiday there only (official calendar).
    const regions = [
      { id: 'R-GP', postalCode: '97110', timeZone: 'America/Guadeloupe', holiday: '2026-05-27' }, // abolition of slavery, Guadeloupe
      { id: 'R-MQ', postalCode: '97200', timeZone: 'America/Martinique', holiday: '2026-05-22' }, // abolition of slavery, Martinique
      { id: 'R-GF', postalCode: '97300', timeZone: 'America/Cayenne', holiday: '2026-06-10' }, // abolition of slavery, Guyane
      { id: 'R-RE', postalCode: '97400', timeZone: 'Indian/Reunion', holiday: '2027-12-20' }, // abolition of slavery, La Réunion
      { id: 'R-YT', postalCode: '97600', timeZone: 'Indian/Mayotte', holiday: '2026-04-27' }, // abolition of slavery, Mayotte
      { id: 'R-AM', postalCode: '67000', timeZone: 'Europe/Paris', holiday: '2025-12-26' }, // St Stephen's Day, Alsace-Moselle
    ];
    beforeAll(async () => {
      t = await open();
      await seedDebtors(t.db.knex, '2026-01-01', [
        ...regions.map((r) => ({ id: r.id, postalCode: r.postalCode, timeZone: r.timeZone })),
        { id: 'R-FR', postalCode: '75011' },
        // Region unknown: the metropolitan calendar applies.
        { id: 'R-UNK', postalCode: 'XXXXX' },
      ]);
    }, 120_000);
    afterAll(async () => t?.close());

    it.each(regions)('$id: not called on its own holiday $holiday, while the rest of France is', async ({ id, holiday }) => {
      const list = await listOf(t, holiday, regions.map((r) => r.id).concat(['R-FR', 'R-UNK']));
      expect(list.exclusions.find((e) => e.debtorId === id)).toMatchObject({ rule: 'calling_day', detail: expect.stringMatching(/^public holiday: /) });
      expect(rulesOf(list, 'R-FR')).toEqual([]);
      expect(rulesOf(list, 'R-UNK')).toEqual([]);
      for (const other of regions.filter((r) => r.holiday !== holiday)) expect(rulesOf(list, other.id)).not.toContain('calling_day');
    });

    it('Good Friday is a holiday in Alsace-Moselle and not in Paris; metropolitan holidays apply everywhere, unknown regions included', async () => {
      const goodFriday = await listOf(t, '2026-04-03', ['R-AM', 'R-FR', 'R-UNK']);
      expect(rulesOf(goodFriday, 'R-AM')).toEqual(['calling_day']);
      expect(rulesOf(goodFriday, 'R-FR')).toEqual([]);
      expect(rulesOf(goodFriday, 'R-UNK')).toEqual([]);
      const ascension = await listOf(t, '2026-05-14', ['R-AM', 'R-FR', 'R-UNK', 'R-RE']);
      for (const id of ['R-AM', 'R-FR', 'R-UNK', 'R-RE']) expect(rulesOf(ascension, id)).toEqual(['calling_day']);
    });
  });
});
