/**
 * An office case-management database on the real MariaDB server: the SQL source pulls only new or
 * changed rows (watermark), validates them like a CSV file, and clean keeps the latest version.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { createOffice, officeDbSource as officeSource, withDatabase } from './office-db';
import { engines } from '../helpers/db';
import { describeIfMariadb, services } from '../helpers/services';
import { cleanAll, extractSource } from '../../src/elt';
import { silentLogger } from '../../src/core';
import { SMALL_EXPORT, countRows, officeSource as csvSource, run } from './elt-fixtures';

describeIfMariadb('extractSource on a MariaDB office database', () => {
  describe.each(engines)('into $name', ({ open }) => {
    const office = `relance_office_${randomBytes(4).toString('hex')}`;
    let admin: Knex;
    beforeAll(async () => {
      admin = knexFactory({ client: 'mysql2', connection: services.mariadbUrl, pool: { min: 0, max: 1 } });
      await createOffice(admin, office);
    });
    afterAll(async () => {
      await admin.raw(`drop database if exists \`${office}\``);
      await admin.destroy();
    });

    test('pulls every row once, then only the new and changed ones, and clean keeps the latest version', async () => {
      const t = await open();
      try {
        const source = officeSource(withDatabase(services.mariadbUrl, office));
        const first = await extractSource(t.db, source, run('run-1'));
        expect(first.map((r) => [r.table, r.rowsRead, r.rowsLoaded, r.rowsQuarantined, r.watermark])).toEqual([
          ['debtors', 2, 2, 0, '2026-11-20 10:00:01.000'],
          ['cases', 2, 2, 0, '2026-11-20 10:00:00.000'],
          ['payments', 3, 2, 1, '2026-11-20 10:00:01.000'],
        ]);
        const bad = await t.db.knex('quarantine.rows').where({ source: 'office_db' }).first();
        expect(bad).toMatchObject({ table_name: 'payments', line: 2, reason: 'negative_amount', field: 'amount', file: 'office_db:payments' });
        expect(JSON.parse(bad.raw_record)).toMatchObject({ id_paiement: 'Y2', montant: '-5.00' });
        expect(await t.db.knex('raw.debtors').where({ debtor_id: 'D2' }).first('last_name', 'first_name', 'birth_date')).toEqual({ last_name: "O'Brien", first_name: 'Seán', birth_date: '1975-03-31' });

        // The office corrects a payment and records a new one; nothing else changes.
        await admin(`${office}.paiements`).where({ id_paiement: 'Y3' }).update({ montant: 85, maj: '2026-11-21 09:00:00.000' });
        await admin(`${office}.paiements`).insert({ id_paiement: 'Y4', id_dossier: 'C2', date_paiement: '2026-11-20', montant: 20, mode_reglement: 'CHQ', maj: '2026-11-21 09:30:00.000' });
        const second = await extractSource(t.db, source, run('run-2'));
        expect(second.map((r) => [r.table, r.rowsRead, r.watermark])).toEqual([
          ['debtors', 0, '2026-11-20 10:00:01.000'],
          ['cases', 0, '2026-11-20 10:00:00.000'],
          ['payments', 2, '2026-11-21 09:30:00.000'],
        ]);
        expect(await countRows(t.db.knex, 'raw.payments')).toBe(4);

        const cleaned = await cleanAll(t.db, { runId: 'run-2', log: silentLogger });
        expect(cleaned.rows).toMatchObject({ debtors: 2, cases: 2, payments: 3 });
        const payments = await t.db.knex('clean.payments').orderBy('payment_id').select('payment_id', 'debtor_id', 'amount', 'method');
        expect(payments).toEqual([
          { payment_id: 'Y1', debtor_id: 'D1', amount: 50, method: 'transfer' },
          { payment_id: 'Y3', debtor_id: 'D2', amount: 85, method: 'card' },
          { payment_id: 'Y4', debtor_id: 'D2', amount: 20, method: 'cheque' },
        ]);
        const debtors = await t.db.knex('clean.debtors').orderBy('debtor_id').select('debtor_id', 'time_zone', 'do_not_call');
        expect(debtors).toEqual([
          { debtor_id: 'D1', time_zone: 'America/Martinique', do_not_call: false },
          { debtor_id: 'D2', time_zone: 'Europe/Paris', do_not_call: true },
        ]);
      } finally {
        await t.close();
      }
    });

    test('a CSV drop and the office database extract side by side into one set of clean tables', async () => {
      const t = await open();
      try {
        const reports = [
          ...(await extractSource(t.db, csvSource(SMALL_EXPORT), run('night'))),
          ...(await extractSource(t.db, officeSource(withDatabase(services.mariadbUrl, office)), run('night'))),
        ];
        expect(reports.map((r) => r.source)).toEqual([...Array(6).fill('office_csv'), 'office_db', 'office_db', 'office_db']);
        const cleaned = await cleanAll(t.db, { runId: 'night', log: silentLogger });
        expect(cleaned.rows.debtors).toBe(5);
        const offices = (await t.db.knex('clean.debtors').select('office_code').count({ n: '*' }).groupBy('office_code').orderBy('office_code')) as { office_code: string; n: unknown }[];
        expect(offices.map((o) => [o.office_code, Number(o.n)])).toEqual([['ETU01', 2], ['ETU02', 1], ['ETU09', 2]]);
      } finally {
        await t.close();
      }
    });
  });
});
