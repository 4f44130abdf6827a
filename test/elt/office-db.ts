/**
 * An office case-management database on the real MariaDB server, for the tests that extract from
 * one: three tables (debtors, cases, payments) with a `maj` change timestamp, and the SQL source
 * that reads them incrementally.
 */
import type { Knex } from 'knex';
import { sqlSourceSchema, type SqlSourceConfig } from '../../src/config/schema/sources';
import { withDatabase } from '../../src/db';

export { withDatabase };

export async function createOffice(admin: Knex, name: string): Promise<void> {
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

export function officeDbSource(url: string): SqlSourceConfig {
  return sqlSourceSchema.parse({
    kind: 'sql', name: 'office_db', client: 'mysql2', url,
    tables: [
      { table: 'debtors', watermarkColumn: 'maj',
        query: 'select id_debiteur, code_etude, civilite, nom, prenom, date_naissance, code_postal, ville, pays, opposition, maj from debiteurs where maj >= :watermark order by maj',
        columns: { id_debiteur: 'debtor_id', code_etude: 'office_code', civilite: 'title', nom: 'last_name', prenom: 'first_name', date_naissance: 'birth_date', code_postal: 'postal_code', ville: 'city', pays: 'country', opposition: 'do_not_call' } },
      { table: 'cases', watermarkColumn: 'maj',
        query: 'select * from dossiers where maj >= :watermark order by maj',
        columns: { id_dossier: 'case_id', id_debiteur: 'debtor_id', code_etude: 'office_code', montant: 'principal', frais: 'fees', ouvert_le: 'opened_on', phase: 'legal_stage', statut: 'status' } },
      { table: 'payments', watermarkColumn: 'maj',
        query: 'select * from paiements where maj >= :watermark order by maj',
        columns: { id_paiement: 'payment_id', id_dossier: 'case_id', date_paiement: 'paid_on', montant: 'amount', mode_reglement: 'method' } },
    ],
  });
}
