/**
 * The one place do-not-call and cease-communication requests are written, from any source (here
 * relance's own call log and the office through the command line): a request stands from its day
 * until lifted, a source writes each request once, and a lift is checked and audited.
 */
import { Command } from 'commander';
import { requestsCommand } from '../../src/cli/commands/requests';
import type { CliEnv } from '../../src/cli/cli-env';
import type { PipelineResources } from '../../src/pipeline/resources';
import { buildCallList, contactRequestsOf, liftContactRequest, recordContactRequest } from '../../src/ranking';
import { engines, type TestDatabase } from '../helpers/db';
import { rankingConfig, seedDebtors } from './fixture';

const config = rankingConfig({ teams: [{ id: 'equipe-1', agents: 5, hours: '08:00-20:00' }], holdout: { share: 0 } });
const rules = async (t: TestDatabase, listDate: string, debtorId: string): Promise<string[]> => {
  const list = await buildCallList(t.db, { listDate, runId: 'r', ranking: config.ranking, timeZone: 'Europe/Paris' });
  return list.exclusions.filter((e) => e.debtorId === debtorId).map((e) => e.rule).sort();
};

describe.each(engines)('contact requests on $name', ({ open }) => {
  let t: TestDatabase;
  let out: string[];
  const cli = async (...args: string[]): Promise<string> => {
    out = [];
    const env: CliEnv = {
      config: () => config,
      openResources: async () => ({ db: t.db, config, close: async () => undefined }) as unknown as PipelineResources,
      print: (line) => void out.push(line),
    };
    const program = new Command('relance').exitOverride();
    program.addCommand(requestsCommand(env));
    await program.parseAsync(['node', 'relance', ...args]);
    return out.join('\n');
  };

  beforeAll(async () => {
    t = await open();
    for (const d of ['2026-11-24', '2026-12-01', '2027-06-01']) await seedDebtors(t.db.knex, d, d === '2026-11-24' ? [{ id: 'C1' }, { id: 'C2' }] : [], 'm1');
    await t.db.knex('scoring.scores').insert(['2026-12-01', '2027-06-01'].flatMap((d) => ['C1', 'C2'].map((id) => ({ as_of: d, debtor_id: id, model_version_id: 'm1', p_pay: 0.4, raw_score: 0, expected_value: 0, explanation: '[]' }))));
  }, 120_000);
  afterAll(async () => t?.close());

  it('a request from the call log stands from its day on, once per source id, until it is lifted', async () => {
    const first = await recordContactRequest(t.db.knex, { debtorId: 'C1', kind: 'do_not_call', requestedOn: '2026-11-25', source: 'call_log', sourceRef: 'log-17', note: 'agent 7' });
    const again = await recordContactRequest(t.db.knex, { debtorId: 'C1', kind: 'do_not_call', requestedOn: '2026-11-25', source: 'call_log', sourceRef: 'log-17' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ requestId: first.requestId, created: false });
    expect(await rules(t, '2026-11-24', 'C1')).toEqual([]);
    expect(await rules(t, '2026-12-01', 'C1')).toEqual(['do_not_call']);
    expect(await rules(t, '2027-06-01', 'C1')).toEqual(['do_not_call']);

    await expect(liftContactRequest(t.db.knex, { requestId: first.requestId, liftedOn: '2026-11-20' })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(liftContactRequest(t.db.knex, { requestId: 'no-such-request', liftedOn: '2026-12-20' })).rejects.toMatchObject({ name: 'NotFoundError' });
    const lifted = await liftContactRequest(t.db.knex, { requestId: first.requestId, liftedOn: '2027-01-10', note: 'written consent' });
    expect(lifted).toMatchObject({ debtorId: 'C1', source: 'call_log', requestedOn: '2026-11-25', liftedOn: '2027-01-10', liftNote: 'written consent' });
    await expect(liftContactRequest(t.db.knex, { requestId: first.requestId, liftedOn: '2027-02-01' })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await rules(t, '2026-12-01', 'C1')).toEqual(['do_not_call']);
    expect(await rules(t, '2027-06-01', 'C1')).toEqual([]);
  });

  it('relance requests add, list and lift (numbers masked)', async () => {
    expect(await cli('requests', 'add', '--debtor', 'C2', '--kind', 'cease_communication', '--on', '2026-11-30', '--phone', '+33612345678', '--note', 'courrier du 28/11')).toMatch(/^request \S+: cease_communication for C2 from 2026-11-30$/);
    expect(await rules(t, '2026-12-01', 'C2')).toEqual(['cease_communication']);
    const table = await cli('requests', 'list', '--debtor', 'C2');
    expect(table).toContain('+336••••••78');
    expect(table).not.toContain('+33612345678');
    const [request] = await contactRequestsOf(t.db.knex, 'C2');
    expect(await cli('requests', 'lift', request!.requestId, '--on', '2027-01-02', '--note', 'erreur de saisie')).toMatch(/lifted from 2027-01-02$/);
    expect(await rules(t, '2027-06-01', 'C2')).toEqual([]);
  });
});
