/**
 * A synthetic office exports its disputed cases as suspended (`SUSPENDU`, `conteste=1`), often
 * next to another open case of the same debtor: none of these debtors may reach the list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core';
import { cleanAll, extractSource } from '../../src/elt';
import { buildCallList } from '../../src/ranking';
import { synthesize } from '../../src/synth';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';
import { rankingConfig } from './fixture';

const LIST_DATE = '2026-11-24';

describeIfPostgres('disputed cases of a synthetic office', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-disputes-'));
  const exportDir = path.join(work, 'exports', 'latest');
  let t: TestDatabase;
  beforeAll(async () => {
    await synthesize({ debtors: 3000, seed: 7, outDir: exportDir, asOf: LIST_DATE });
    t = await freshPostgres();
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    for (const source of base.sources) {
      if (source.kind !== 'csv') continue;
      await extractSource(t.db, { ...source, dir: exportDir }, { runId: 'run-s', log: silentLogger, today: LIST_DATE });
    }
    await cleanAll(t.db, { runId: 'run-s', log: silentLogger });
    // Every debtor scored alike: only compliance and capacity decide who is listed.
    await t.db.knex.raw(`insert into scoring.scores (as_of, debtor_id, model_version_id, p_pay, raw_score, expected_value, explanation)
                         select ?, debtor_id, 'm1', 0.5, 0, 0, '[]' from clean.debtors`, [LIST_DATE]);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('excludes every debtor with a disputed case that is not settled or written off, whatever its status', async () => {
    const ranking = rankingConfig({ teams: [{ id: 'all', agents: 500, hours: '08:00-20:00' }], holdout: { share: 0 } }).ranking;
    const list = await buildCallList(t.db, { listDate: LIST_DATE, runId: 'run-s', ranking, timeZone: 'Europe/Paris' });
    const live = new Set((await t.db.knex('clean.cases').where({ disputed: true }).whereNotIn('status', ['settled', 'written_off']).pluck('debtor_id')) as string[]);
    const suspendedAndOpen = (await t.db.knex.raw(`select count(distinct d.debtor_id)::int as n from clean.cases d
      where d.disputed and d.status = 'suspended' and exists (select 1 from clean.cases o where o.debtor_id = d.debtor_id and o.status = 'open')`)) as { rows: { n: number }[] };
    // The office has such debtors, some with another open case (the ones that used to be listed).
    expect(live.size).toBeGreaterThan(20);
    expect(suspendedAndOpen.rows[0]!.n).toBeGreaterThan(5);
    const reached = [...list.rows, ...list.deferred, ...list.holdout].map((r) => r.debtorId).filter((id) => live.has(id));
    expect(reached).toEqual([]);
    const disputed = new Set(list.exclusions.filter((e) => e.rule === 'disputed').map((e) => e.debtorId));
    expect([...live].filter((id) => !disputed.has(id))).toEqual([]);
    expect(list.rows.length).toBeGreaterThan(500);
  });
});
