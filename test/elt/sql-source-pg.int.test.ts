/**
 * A `client: pg` SQL source against a real Postgres office database (a database of its own on the
 * local server): rows arriving after a pull with the same timestamp as the stored watermark are
 * pulled by the next one (`>= :watermark`), rows already pulled are not pulled twice, and a row
 * changed without moving its timestamp is pulled again. An office database that cannot be reached
 * fails with an error saying whether a retry can help.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { engines } from '../helpers/db';
import { describeIfPostgres, services } from '../helpers/services';
import { checkSourceFreshness, extractSource } from '../../src/elt';
import { officeInstant } from '../../src/pipeline/freshness-step';
import { isRetryable } from '../../src/core';
import { createPgOffice, pgAdmin, pgOffice, pgOfficeSource } from './office-db-pg';
import { withDatabase } from './office-db';
import { run } from './elt-fixtures';

describeIfPostgres('extractSource on a Postgres office database (client: pg)', () => {
  const name = `relance_office_pg_${randomBytes(4).toString('hex')}`;
  let admin: Knex;
  let url: string;
  beforeAll(async () => {
    admin = pgAdmin();
    url = await createPgOffice(admin, name);
  });
  afterAll(async () => {
    await admin.raw(`drop database if exists "${name}" with (force)`);
    await admin.destroy();
  });

  describe.each(engines)('into $name', ({ open }) => {
    test('rows sharing the stored watermark are pulled once each, late arrivals and same-timestamp changes included', async () => {
      const t = await open();
      const office = pgOffice(url);
      try {
        // Each engine starts from the office's first day of rows.
        await office('debiteurs').whereNotIn('id_debiteur', ['P1', 'P2']).delete();
        await office('paiements').whereNotIn('id_paiement', ['Q1', 'Q2']).delete();
        const source = pgOfficeSource(url);
        const first = await extractSource(t.db, source, run('run-1'));
        expect(first.map((r) => [r.table, r.rowsRead, r.rowsLoaded, r.watermark])).toEqual([
          ['debtors', 2, 2, '2026-11-20 10:00:05'],
          ['payments', 2, 2, '2026-11-20 10:00:05'],
        ]);
        expect(await t.db.knex('raw.payments').where({ payment_id: 'Q2' }).first('amount', 'paid_on', 'method')).toEqual({ amount: '60.50', paid_on: '2026-11-19', method: 'CB' });

        // Committed after the first pull, stamped with the same millisecond as its watermark.
        await office('paiements').insert({ id_paiement: 'Q3', id_dossier: 'K2', date_paiement: '2026-11-20', montant: 15, mode_reglement: 'CHQ', maj: '2026-11-20 10:00:05' });
        await office('debiteurs').insert({ id_debiteur: 'P3', code_etude: 'ETU07', nom: 'Petit', prenom: 'Loïc', code_postal: '69001', pays: 'FR', maj: '2026-11-20 10:00:05' });
        const second = await extractSource(t.db, source, run('run-2'));
        expect(second.map((r) => [r.table, r.rowsRead, r.watermark])).toEqual([
          ['debtors', 1, '2026-11-20 10:00:05'],
          ['payments', 1, '2026-11-20 10:00:05'],
        ]);

        // Nothing new: nothing pulled, the watermark stays.
        const third = await extractSource(t.db, source, run('run-3'));
        expect(third.map((r) => [r.table, r.rowsRead, r.watermark])).toEqual([
          ['debtors', 0, '2026-11-20 10:00:05'],
          ['payments', 0, '2026-11-20 10:00:05'],
        ]);

        // A correction that keeps the row's timestamp is a change: pulled again.
        await office('paiements').where({ id_paiement: 'Q3' }).update({ montant: 16 });
        const fourth = await extractSource(t.db, source, run('run-4'));
        expect(fourth.map((r) => [r.table, r.rowsRead])).toEqual([['debtors', 0], ['payments', 1]]);

        const payments = (await t.db.knex('raw.payments').orderBy(['payment_id', '_load_id']).select('payment_id', 'amount')) as { payment_id: string; amount: string }[];
        expect(payments.map((p) => `${p.payment_id} ${p.amount}`)).toEqual(['Q1 40.00', 'Q2 60.50', 'Q3 15.00', 'Q3 16.00']);
        expect((await t.db.knex('raw.debtors').orderBy('debtor_id').pluck('debtor_id')) as string[]).toEqual(['P1', 'P2', 'P3']);

        // Freshness: the watermark (office wall time, Paris) is 2 hours old, then 30 hours old.
        const lastChange = new Date('2026-11-20T09:00:05Z');
        const fromLocal = (local: string) => officeInstant(local, 'Europe/Paris');
        const at = (h: number) => checkSourceFreshness(t.db, source, { reports: fourth, now: new Date(lastChange.getTime() + h * 3_600_000), fromLocal });
        expect((await at(2)).filter((f) => !f.ok)).toEqual([]);
        expect((await at(30)).filter((f) => !f.ok).map((f) => f.message)).toEqual([
          'office_pg.debtors: watermark 2026-11-20 10:00:05 is 30.0 h old (limit 26 h)',
          'office_pg.payments: watermark 2026-11-20 10:00:05 is 30.0 h old (limit 26 h)',
        ]);
        expect((await checkSourceFreshness(t.db, source, { reports: undefined, now: lastChange, fromLocal })).map((f) => `${f.check} ${f.ok}`)).toEqual(['extract false']);
      } finally {
        await office.destroy();
        await t.close();
      }
    });

    test('an office database that refuses connections is worth a retry; an unknown database is not', async () => {
      const t = await open();
      try {
        const closedPort = new URL(services.databaseUrl);
        closedPort.port = '1';
        const refused = await extractSource(t.db, pgOfficeSource(closedPort.toString()), run('run-x')).catch((e: unknown) => e);
        expect(refused).toMatchObject({ name: 'SourceUnavailableError', retryable: true });
        expect(String((refused as Error).message)).toMatch(/office_pg/);
        expect(isRetryable(refused)).toBe(true);

        const unknown = await extractSource(t.db, pgOfficeSource(withDatabase(services.databaseUrl, `${name}_missing`)), run('run-y')).catch((e: unknown) => e);
        expect(unknown).toMatchObject({ name: 'SourceUnavailableError', retryable: false });
      } finally {
        await t.close();
      }
    });
  });
});
