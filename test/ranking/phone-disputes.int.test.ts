/**
 * Disputes raised on the phone keep the debtor off the lists (candidates count them as disputed
 * open cases) from the day raised until lifted; lifting needs a reason and applies from its day.
 */
import { runSql } from '../../src/db';
import { liftPhoneDisputes, phoneDisputesOf, recordPhoneDispute } from '../../src/ranking';
import { engines } from '../helpers/db';

describe.each(engines)('phone disputes on $name', ({ open }) => {
  test('counted from the day raised, until the day lifted', async () => {
    const t = await open();
    try {
      const { knex } = t.db;
      await knex('clean.debtors').insert({ debtor_id: 'D1', office_code: 'ETU01', country: 'FR', time_zone: 'Europe/Paris', do_not_call: false });
      for (const asOf of ['2026-11-24', '2026-11-25', '2026-11-30']) {
        await knex('scoring.scores').insert({ as_of: asOf, debtor_id: 'D1', model_version_id: 'm1', p_pay: 0.4, raw_score: -0.4, expected_value: -1, explanation: JSON.stringify([]) });
      }
      const disputed = async (listDate: string) => Number((await runSql<{ debtor_id: string; disputed_open: number }>(knex, 'ranking/candidates', { list_date: listDate })).rows.find((r) => r.debtor_id === 'D1')?.disputed_open);

      await recordPhoneDispute(knex, { debtorId: 'D1', caseId: null, raisedOn: '2026-11-25', source: 'relance_call_log', note: 'conteste' });
      await recordPhoneDispute(knex, { debtorId: 'D1', caseId: null, raisedOn: '2026-11-25', source: 'relance_call_log', note: 'again' });
      expect(await phoneDisputesOf(knex, 'D1')).toEqual([{ debtorId: 'D1', caseId: null, raisedOn: '2026-11-25', source: 'relance_call_log', liftedOn: null }]);
      expect([await disputed('2026-11-24'), await disputed('2026-11-25'), await disputed('2026-11-30')]).toEqual([0, 1, 1]);

      await expect(liftPhoneDisputes(knex, { debtorId: 'D1', liftedOn: '2026-11-30', note: ' ' })).rejects.toThrow(/note must say why/);
      expect(await liftPhoneDisputes(knex, { debtorId: 'D1', liftedOn: '2026-11-30', note: 'accord sur les frais' })).toHaveLength(1);
      expect([await disputed('2026-11-25'), await disputed('2026-11-30')]).toEqual([1, 0]);
      expect(await liftPhoneDisputes(knex, { debtorId: 'D1', liftedOn: '2026-12-01', note: 'again' })).toHaveLength(0);
    } finally {
      await t.close();
    }
  }, 120_000);
});
