/**
 * An office case-management database on the real Postgres server (a database of its own beside
 * relance's), for the tests of `client: pg` SQL sources: debtors and payments with a `maj` change
 * timestamp, and the SQL source that reads them incrementally with `>= :watermark`.
 */
import knexFactory, { type Knex } from 'knex';
import { sqlSourceSchema, type SqlSourceConfig } from '../../src/config/schema/sources';
import { services } from '../helpers/services';
import { withDatabase } from './office-db';

/** An admin connection to the Postgres server (the `postgres` database). */
export function pgAdmin(): Knex {
  return knexFactory({ client: 'pg', connection: services.databaseUrl, pool: { min: 0, max: 1 } });
}

/** Creates the office database `name` with its tables and a first day of rows; returns its URL. */
export async function createPgOffice(admin: Knex, name: string): Promise<string> {
  await admin.raw(`create database "${name}"`);
  const url = withDatabase(services.databaseUrl, name);
  const office = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await office.raw(`create table debiteurs (id_debiteur varchar(20) primary key, code_etude varchar(10), nom varchar(80), prenom varchar(80),
      code_postal varchar(10), pays char(2), maj timestamp(3) not null)`);
    await office.raw(`create table paiements (id_paiement varchar(20) primary key, id_dossier varchar(20), date_paiement date,
      montant numeric(12,2), mode_reglement varchar(10), maj timestamp(3) not null)`);
    await office('debiteurs').insert([
      { id_debiteur: 'P1', code_etude: 'ETU07', nom: 'Durand', prenom: 'Zoé', code_postal: '75011', pays: 'FR', maj: '2026-11-20 10:00:00' },
      { id_debiteur: 'P2', code_etude: 'ETU07', nom: 'Leroy', prenom: 'Noël', code_postal: '97400', pays: 'FR', maj: '2026-11-20 10:00:05' },
    ]);
    await office('paiements').insert([
      { id_paiement: 'Q1', id_dossier: 'K1', date_paiement: '2026-11-18', montant: 40, mode_reglement: 'VIR', maj: '2026-11-20 10:00:00' },
      { id_paiement: 'Q2', id_dossier: 'K1', date_paiement: '2026-11-19', montant: 60.5, mode_reglement: 'CB', maj: '2026-11-20 10:00:05' },
    ]);
  } finally {
    await office.destroy();
  }
  return url;
}

/** A knex connection to the office database, for the test to change its rows. */
export function pgOffice(url: string): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

/** The `client: pg` SQL source reading the office database at `url`. */
export function pgOfficeSource(url: string): SqlSourceConfig {
  return sqlSourceSchema.parse({
    kind: 'sql', name: 'office_pg', client: 'pg', url,
    tables: [
      { table: 'debtors', watermarkColumn: 'maj',
        query: 'select id_debiteur, code_etude, nom, prenom, code_postal, pays, maj from debiteurs where maj >= :watermark order by maj',
        columns: { id_debiteur: 'debtor_id', code_etude: 'office_code', nom: 'last_name', prenom: 'first_name', code_postal: 'postal_code', pays: 'country' } },
      { table: 'payments', watermarkColumn: 'maj',
        query: 'select * from paiements where maj >= :watermark order by maj',
        columns: { id_paiement: 'payment_id', id_dossier: 'case_id', date_paiement: 'paid_on', montant: 'amount', mode_reglement: 'method' } },
    ],
  });
}
