import { Readable } from 'node:stream';
import { engines } from '../helpers/db';
import { migrate, listMigrations, readRows, readSql, runSql } from '../../src/db';

describe.each(engines)('database on $name', ({ open }) => {
  test('migrations create every schema of the design, and a second run applies nothing', async () => {
    const t = await open();
    try {
      const schemas = await t.db.knex.raw(`select nspname from pg_namespace order by 1`);
      const names = (schemas.rows as { nspname: string }[]).map((r) => r.nspname);
      for (const s of ['orchestrator', 'raw', 'quarantine', 'clean', 'features', 'scoring', 'dialer', 'monitoring']) {
        expect(names).toContain(s);
      }
      expect(await migrate(t.db)).toEqual([]);
      const applied = await t.db.knex('public.relance_migrations').count<{ count: number }[]>('* as count');
      expect(applied[0]!.count).toBe(listMigrations().length);
    } finally {
      await t.close();
    }
  });

  test('COPY loads a stream inside a transaction, and a rollback leaves nothing', async () => {
    const t = await open();
    try {
      await t.db.knex.raw('create table public.copy_probe (a text, b text)');
      const rows = Array.from({ length: 1000 }, (_, i) => `${i},"x;${i}"\n`).join('');
      const n = await t.db.knex.transaction((trx) => t.db.copyFrom('copy public.copy_probe from stdin (format csv)', Readable.from([rows]), trx));
      expect(n).toBe(1000);
      await expect(
        t.db.knex.transaction(async (trx) => {
          await t.db.copyFrom('copy public.copy_probe from stdin (format csv)', Buffer.from('1,2\n'), trx);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const count = await t.db.knex('public.copy_probe').count<{ count: number }[]>('* as count');
      expect(count[0]!.count).toBe(1000);
      const sample = await t.db.knex('public.copy_probe').where({ a: '7' }).first();
      expect(sample.b).toBe('x;7');
    } finally {
      await t.close();
    }
  });

  test('numbers and dates come back typed the same way on both engines, in memory and on disk', async () => {
    const t = await open();
    try {
      const r = await t.db.knex.raw(`select count(*) as n, 12.50::numeric as amount, date '2026-03-29' as d`);
      expect(r.rows[0]).toEqual({ n: 1, amount: 12.5, d: '2026-03-29' });
    } finally {
      await t.close();
    }
  });

  test('readSql and readRows give the rows runSql and knex give, typed and ordered the same, page after page inside a transaction', async () => {
    const t = await open();
    try {
      await t.db.knex.transaction(async (trx) => {
        // the table sql/ranking/staged-candidates-page.sql pages through, with columns of every kind it holds
        await trx.raw(`create temporary table publish_candidates on commit drop as
          select 'D' || lpad(((i * 7919) % 3001)::text, 5, '0') as debtor_id, (i % 97) / 7.0::double precision as p_pay,
                 ((i * 31) % 100000) / 100.0::numeric(14,2) as balance, case when i % 5 = 0 then null else i % 40 end as n_calls,
                 i % 3 = 0 as disputed, case when i % 4 = 0 then '{}'::text[] else array['amicable', 'seizure ' || i] end as open_stages,
                 jsonb_build_object('top', i % 9, 'why', 'ré' || i) as explanation, (date '2026-01-01' + i)::text as last_payment_on,
                 case when i % 6 = 0 then null else 'l''équipe, "' || i || '"' end as note
            from generate_series(1, 3001) as i`);
        let after: string | null = null;
        let pages = 0;
        for (;;) {
          const expected: Record<string, unknown>[] = (await runSql(trx, 'ranking/staged-candidates-page', { after, page_rows: 700 })).rows;
          const got = await readSql(trx, 'ranking/staged-candidates-page', { after, page_rows: 700 });
          expect(got).toEqual(expected);
          const page = () => {
            const q = trx('publish_candidates').orderBy('debtor_id', 'desc').limit(700);
            return after === null ? q : q.where('debtor_id', '<=', after);
          };
          expect(await readRows(trx, page())).toEqual(await page());
          pages++;
          if (expected.length < 700) break;
          after = (expected[expected.length - 1] as { debtor_id: string }).debtor_id;
        }
        expect(pages).toBe(5);
      });
    } finally {
      await t.close();
    }
  });

  test('a failing SQL file is reported by name, without its bound values', async () => {
    const t = await open();
    try {
      await expect(runSql(t.db.knex, 'does/not-exist')).rejects.toThrow('sql/does/not-exist.sql');
    } finally {
      await t.close();
    }
  });
});

describe('SQL files', () => {
  test('comments are stripped before binding, quoted dashes are kept', () => {
    const { stripComments } = jest.requireActual('../../src/db') as typeof import('../../src/db');
    expect(stripComments("-- Parameters: :as_of\nselect '--x' as a, \"a--b\" -- :tail\nfrom t")).toBe("\nselect '--x' as a, \"a--b\" \nfrom t");
  });
});

describe('embedded database as the product opens it', () => {
  test.each([
    ['in memory', () => undefined],
    ['on disk', () => require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'relance-pglite-')) as string],
  ])('%s, numbers and dates come back typed as on Postgres', async (_name, dir) => {
    const { openDatabase } = await import('../../src/db');
    const db = await openDatabase({ dataDir: dir() });
    try {
      const r = await db.knex.raw(`select count(*) as n, 12.50::numeric as amount, date '2026-03-29' as d`);
      expect(r.rows[0]).toEqual({ n: 1, amount: 12.5, d: '2026-03-29' });
    } finally {
      await db.close();
    }
  });
});
