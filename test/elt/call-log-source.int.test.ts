/**
 * relance's own call log as a source of the night, on PGlite and Postgres: the calls agents
 * logged are carried once into raw.calls in the office's codes, then cleaning makes them calls (in
 * the debtor's local time), a promise with its amount and due date, and the do-not-call request
 * the call room recorded (one row, under the same key).
 */
import { cleanAll, extractCallLog, extractSource } from '../../src/elt';
import { silentLogger } from '../../src/core';
import { isoDate } from '../../src/core/ids';
import { engines } from '../helpers/db';
import { SMALL_EXPORT, officeSource, run } from './elt-fixtures';

describe.each(engines)('call log source on $name', ({ open }) => {
  test('calls go to raw.calls once, then to clean.calls, clean.promises and one do-not-call request', async () => {
    const t = await open();
    try {
      const { knex } = t.db;
      await extractSource(t.db, officeSource(SMALL_EXPORT), run('run-1'));
      await cleanAll(t.db, { runId: 'run-1', log: silentLogger });
      const before = Number((await knex('clean.calls').count({ n: '*' }).first())?.n);
      // D002 lives in La Réunion (UTC+4): 10:00 there is 06:00 UTC
      const at = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00+04:00`);
      const base = { list_date: '2026-11-24', debtor_id: 'D002', agent_id: 'tok-1', agent_name: 'Léa', created_by: 'Léa', phone_e164: '+262692000001' };
      await knex('dialer.call_outcomes').insert([
        { ...base, outcome_id: 'o1', idempotency_key: 'k1', outcome: 'third_party', called_at: at('10:00') },
        { ...base, outcome_id: 'o2', idempotency_key: 'k2', outcome: 'promise', case_id: 'C3', promise_amount: 75.5, promise_due_on: '2026-12-10', called_at: at('10:05') },
        { ...base, outcome_id: 'o3', idempotency_key: 'k3', outcome: 'do_not_call', called_at: at('10:10') },
        { ...base, outcome_id: 'o4', idempotency_key: 'k4', outcome: 'wrong_number', called_at: at('10:15') },
      ]);
      // what the call room wrote when the do-not-call request was logged
      await knex('dialer.contact_requests').insert({ debtor_id: 'D002', kind: 'do_not_call', requested_on: '2026-11-24', phone_e164: '+262692000001', source: 'calls', source_ref: 'RL-o3', note: 'do-not-call request on call RL-o3' });

      const report = await extractCallLog(t.db, { runId: 'run-2', log: silentLogger });
      expect(report).toMatchObject({ source: 'relance_call_log', calls: 4, promises: 1 });
      const raw = await knex('raw.calls').where({ _source: 'relance_call_log' }).orderBy('call_id').select('call_id', 'debtor_id', 'called_at', 'outcome', 'promise_amount', 'promise_due_on', 'agent');
      expect(raw).toEqual([
        { call_id: 'RL-o1', debtor_id: 'D002', called_at: '2026-11-24 10:00:00', outcome: 'TIERS', promise_amount: null, promise_due_on: null, agent: 'Léa' },
        { call_id: 'RL-o2', debtor_id: 'D002', called_at: '2026-11-24 10:05:00', outcome: 'PROM', promise_amount: '75.50', promise_due_on: '2026-12-10', agent: 'Léa' },
        { call_id: 'RL-o3', debtor_id: 'D002', called_at: '2026-11-24 10:10:00', outcome: 'OPP', promise_amount: null, promise_due_on: null, agent: 'Léa' },
        { call_id: 'RL-o4', debtor_id: 'D002', called_at: '2026-11-24 10:15:00', outcome: 'FNUM', promise_amount: null, promise_due_on: null, agent: 'Léa' },
      ]);
      const load = await knex('quarantine.loads').where({ load_id: report.loadId }).first();
      expect(load).toMatchObject({ source: 'relance_call_log', status: 'loaded', rows_read: 4, rows_loaded: 4 });
      // incremental: the latest call carried (its created_at), which keeps the load out of the volume check
      expect(load.watermark).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

      // a second extract (a retried task) carries nothing again
      expect((await extractCallLog(t.db, { runId: 'run-2', log: silentLogger })).calls).toBe(0);

      await cleanAll(t.db, { runId: 'run-2', log: silentLogger });
      const calls = await knex('clean.calls').where('call_id', 'like', 'RL-%').orderBy('call_id').select('call_id', 'outcome', 'called_at', 'do_not_call');
      expect(calls.map((c: Record<string, unknown>) => [c.call_id, c.outcome, new Date(c.called_at as string).toISOString(), c.do_not_call])).toEqual([
        ['RL-o1', 'third_party', '2026-11-24T06:00:00.000Z', false],
        ['RL-o2', 'promise', '2026-11-24T06:05:00.000Z', false],
        ['RL-o3', 'refusal', '2026-11-24T06:10:00.000Z', true],
        ['RL-o4', 'wrong_number', '2026-11-24T06:15:00.000Z', false],
      ]);
      expect(Number((await knex('clean.calls').count({ n: '*' }).first())?.n)).toBe(before + 4);
      const promise = await knex('clean.promises').where({ promise_id: 'call:RL-o2' }).first();
      expect([promise.case_id, promise.debtor_id, Number(promise.amount), isoDate(promise.promised_on), isoDate(promise.due_on)]).toEqual(['C3', 'D002', 75.5, '2026-11-24', '2026-12-10']);
      const requests = await knex('dialer.contact_requests').where({ debtor_id: 'D002', kind: 'do_not_call' }).select('source', 'source_ref');
      expect(requests).toEqual([{ source: 'calls', source_ref: 'RL-o3' }]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
