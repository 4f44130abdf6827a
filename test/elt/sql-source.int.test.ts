/**
 * An office case-management database on the real MariaDB server: the SQL source pulls only new or
 * changed rows (watermark), validates them like a CSV file, and clean keeps the latest version.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { engines } from '../helpers/db';
import { describeIfMariadb, services } from '../helpers/services';
import { cleanAll, extractSource } from '../../src/elt';
import { silentLogger } from '../../src/core';
import { sqlSourceSchema, type SqlSourceConfig } from '../../src/config/schema/sources';
import { SMALL_EXPORT, countRows, officeSource as csvSource, run } from './elt-fixtures';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

async function createOffice(admin: Knex, name: string): Promise<void> {
  await admin.raw(`create database \`${name}\` character set utf8mb4`);
  await admin.raw(`create table \`${name}\`.debiteurs (id_debiteur varchar(20) primary key, code_etude varchar(10), civilite varchar(5), nom varchar(80),
    prenom varchar(80), date_naissance date, code_postal varchar(10), ville varchar(80), pays char(2), opposition char(1), maj datetime(3) not null)`);
  await admin.raw(`create table \`${name}\`.dossiers (id_dossier varchar(20) primary key, id_debiteur varchar(20), code_etude varchar(10), montant decimal(12,2),
    frais decimal(12,2), ouvert_le date, phase varchar(5), statut varchar(20), maj datetime(3) not null)`);
  await admin.raw(`create table \`${name}\`.paiements (id_paiement varchar(20) primary key, id_dossier varchar(20), date_paiement date,
    montant decimal(12,2), mode_reglement varchar(10), maj datetime(3) not null)`);
  await admin(`${name}.debiteurs`).insert([
    { id_debiteur: 'D1', code_etude: 'ETU09', civilite: 'Mme', nom: 'Lefèvre', prenom: 'Hélène', date_naissance: '1980-06-15', code_postal: '97200', ville: 'Fort-de-France', pays: 'FR', opposition: 'N', maj: '2026-11-20 10:00:00.000' },
    { id_debiteur: 'D2', code_etude: 'ETU09', civilite: 'M.', nom: "O'Brien", prenom: 'Seán', date_naissance: '1975-03-31', code_postal: '69007', ville: 'Lyon', pays: 'FR', opposition: 'O', maj: '2026-11-20 10:00:01.000' },
  ]);
  await admin(`${name}.dossiers`).insert([
    { id_dossier: 'C1', id_debiteur: 'D1', code_etude: 'ETU09', montant: 1234.56, frais: 10, ouvert_le: '2025-01-02', phase: 'AMI', statut: 'EN_COURS', maj: '2026-11-20 10:00:00.000' },
    { id_dossier: 'C2', id_debiteur: 'D2', code_etude: 'ETU09', montant: 500, frais: 0, ouvert_le: '2025-03-04', phase: 'TIT', statut: 'EN_COURS', maj: '2026-11-20 10:00:00.000' },
  ]);
  await admin(`${name}.paiements`).insert([
    { id_paiement: 'Y1', id_dossier: 'C1', date_paiement: '2026-01-10', montant: 50, mode_reglement: 'VIR', maj: '2026-11-20 10:00:00.000' },
    { id_paiement: 'Y2', id_dossier: 'C1', date_paiement: '2026-02-10', montant: -5, mode_reglement: 'VIR', maj: '2026-11-20 10:00:00.500' },
    { id_paiement: 'Y3', id_dossier: 'C2', date_paiement: '2026-03-10', montant: 80, mode_reglement: 'CB', maj: '2026-11-20 10:00:01.000' },
  ]);
}

function officeSource(url: string): SqlSourceConfig {
  return sqlSourceSchema.parse({
    kind: 'sql', name: 'office_db', client: 'mysql2', url,
    tables: [
      { table: 'debtors', watermarkColumn: 'maj',
        query: 'select id_debiteur, code_etude, civilite, nom, prenom, date_naissance, code_postal, ville, pays, opposition, maj from debiteurs where maj > :watermark order by maj',
        columns: { id_debiteur: 'debtor_id', code_etude: 'office_code', civilite: 'title', nom: 'last_name', prenom: 'first_name', date_naissance: 'birth_date', code_postal: 'postal_code', ville: 'city', pays: 'country', opposition: 'do_not_call' } },
      { table: 'cases', watermarkColumn: 'maj',
        query: 'select * from dossiers where maj > :watermark order by maj',
        columns: { id_dossier: 'case_id', id_debiteur: 'debtor_id', code_etude: 'office_code', montant: 'principal', frais: 'fees', ouvert_le: 'opened_on', phase: 'legal_stage', statut: 'status' } },
      { table: 'payments', watermarkColumn: 'maj',
        query: 'select * from paiements where maj > :watermark order by maj',
        columns: { id_paiement: 'payment_id', id_dossier: 'case_id', date_paiement: 'paid_on', montant: 'amount', mode_reglement: 'method' } },
    ],
  });
}

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
