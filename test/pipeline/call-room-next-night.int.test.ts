/**
 * From the call room to the next night's list, end to end on Postgres and in Debian's Chromium:
 * retrain and publish a list from a synthetic office, an agent logs a promise, a do-not-call
 * request, a dispute and a wrong number through the "my calls" page from the keyboard, then the
 * next night runs. The features, the exclusions and the list must move accordingly: the calls and
 * the promise are in tomorrow's features, the do-not-call and disputed debtors are excluded by
 * their rule, the wrong number is never dialled again. Screenshots go to test/artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compileConfig, loadConfig } from '../../src/config';
import { FixedClock } from '../../src/core/clock';
import { createLogger } from '../../src/core/log';
import { isoDate } from '../../src/core/ids';
import { synthesize } from '../../src/synth';
import { createResources, type PipelineResources } from '../../src/pipeline/resources';
import { DAGS_DIR, loadDagRegistry, PgRunStore, runDag } from '../../src/orchestrator';
import { buildServer, type RelanceServer } from '../../src/api/server';
import { createApiToken } from '../../src/api/auth/tokens';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { services } from '../helpers/services';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const describeIfBrowser = existsSync(CHROMIUM) && services.postgres ? describe : describe.skip;

const DAY1 = '2026-11-24'; // today's list, worked by the call room
const DAY2 = '2026-11-25'; // tomorrow's list, built by the next night

/** The similar debtors of `id`, counted in plain TypeScript from the snapshot rows and payments. */
async function similarByHand(knex: Knex, id: string, listDate: string): Promise<{ n: number; nPaid: number; paidTotal: number }> {
  const cut = new Date(Date.parse(listDate) - 30 * 86_400_000).toISOString().slice(0, 10);
  const dates = ((await knex('features.debtor_features').distinct('as_of').pluck('as_of')) as unknown[]).map((d) => isoDate(d) as string);
  const ref = dates.filter((d) => d <= cut).sort().pop();
  const mine = dates.filter((d) => d <= listDate).sort().reverse();
  let me: Record<string, unknown> | undefined;
  for (const d of mine) if (!me) me = await knex('features.debtor_features').where({ as_of: d, debtor_id: id }).first();
  if (!ref || !me) return { n: 0, nPaid: 0, paidTotal: 0 };
  const payClass = (r: Record<string, unknown>) => (Number(r.n_payments_365d) === 0 ? 0 : Number(r.n_payments_365d) <= 2 ? 1 : 2);
  const promiseClass = (r: Record<string, unknown>) => (Number(r.n_promises_365d) === 0 ? 0 : Number(r.n_promises_kept_365d) > 0 ? 1 : 2);
  const rows = (await knex('features.debtor_features').where({ as_of: ref })) as Record<string, unknown>[];
  // the export keeps no history of legal stages: an old snapshot without one takes the open cases' current stage
  const RANK: Record<string, number> = { amicable: 0, injunction: 1, enforceable_title: 2, seizure: 3 };
  const current = new Map<string, number>();
  for (const c of (await knex('clean.cases').where({ status: 'open' }).select('debtor_id', 'legal_stage')) as { debtor_id: string; legal_stage: string }[]) {
    const r = RANK[c.legal_stage];
    if (r !== undefined) current.set(c.debtor_id, Math.max(current.get(c.debtor_id) ?? -1, r));
  }
  const stageOf = (r: Record<string, unknown>) => (r.legal_stage_rank ?? current.get(r.debtor_id as string) ?? null);
  const peers = rows.filter((r) => r.debtor_id !== id && Number(r.n_open_cases) > 0 && stageOf(r) === (me!.legal_stage_rank ?? null)
    && Number(r.balance) >= Number(me!.balance) * 0.8 && Number(r.balance) <= Number(me!.balance) * 1.25 && payClass(r) === payClass(me!) && promiseClass(r) === promiseClass(me!));
  const end = new Date(Date.parse(ref) + 30 * 86_400_000).toISOString().slice(0, 10);
  let nPaid = 0;
  let paidTotal = 0;
  for (const p of peers) {
    const paid = ((await knex('clean.payments').where({ debtor_id: p.debtor_id }).where('paid_on', '>=', ref).where('paid_on', '<', end).pluck('amount')) as unknown[]).reduce<number>((a, b) => a + Number(b), 0);
    if (paid > 0) nPaid += 1;
    paidTotal += paid;
  }
  return { n: peers.length, nPaid, paidTotal };
}

describeIfBrowser('call room outcomes reach the next night', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-callroom-'));
  const exportDir = path.join(work, 'exports', 'latest');
  let t: TestDatabase;
  let resources: PipelineResources;
  let server: RelanceServer;
  let browser: Browser;
  let baseUrl: string;
  const errors: string[] = [];

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await resources?.close();
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('promise, do-not-call, dispute and wrong number logged in the page move tomorrow\'s features, exclusions and list', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await synthesize({ debtors: 900, seed: 5, outDir: exportDir, asOf: DAY1 });
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    const config = compileConfig({
      ...base,
      home: path.join(work, 'home'),
      sources: base.sources.map((s) => ({ ...s, dir: exportDir })),
      scoring: { ...base.scoring, trainingSnapshots: 4 },
      ranking: { ...base.ranking, teams: [{ id: 'all', agents: 100, hours: '09:00-18:00', minutesPerCall: 6, occupancy: 0.8, portfolio: {} }] },
    });
    t = await freshPostgres();
    resources = await createResources(config, { db: t.db });
    const registry = loadDagRegistry<PipelineResources>(DAGS_DIR, config.dags);
    const store = new PgRunStore(t.db);
    const run = async (dagId: string, date: string) => {
      const result = await runDag(registry.get(dagId), { date, resources, store, sleep: () => Promise.resolve() });
      expect(result.instances.filter((i) => i.state !== 'success').map((i) => `${i.taskId}: ${i.state} ${i.error ?? ''}`)).toEqual([]);
      return result;
    };
    const { knex } = t.db;

    // tonight: retrain, then the list of DAY1
    await run('retrain', '2026-11-23');
    await run('nightly_call_list', '2026-11-23');
    expect(Number((await knex('dialer.call_list').where({ list_date: DAY1 }).count({ n: '*' }).first())?.n)).toBeGreaterThan(100);

    // the morning: the call room on the same database, its clock at 10:00 in Paris on DAY1
    const clock = new FixedClock(`${DAY1}T10:00:00+01:00`);
    server = await buildServer({ db: t.db, config, log: createLogger({ level: 'warn', write: () => undefined }), clock, defaultMetrics: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const token = (await createApiToken(knex, { name: 'Léa Martin', role: 'agent' })).token;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page: Page = await (await browser.newContext({ viewport: { width: 1366, height: 1000 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${baseUrl}/login#token=${token}`);
    await page.waitForURL('**/call-list**');
    await page.goto(`${baseUrl}/my-calls`);
    await page.waitForSelector('main[data-ready="true"]');

    /** Takes the next debtor with N, picks the outcome by its digit, fills what it needs, saves with Enter. */
    const logNext = async (digit: string, fill?: () => Promise<void>): Promise<string> => {
      const before = await page.getAttribute('#debtor', 'data-debtor');
      await page.keyboard.press('n');
      await page.waitForFunction(`(document.querySelector('#debtor[data-state="claimed"]')?.getAttribute('data-debtor') ?? ${JSON.stringify(before)}) !== ${JSON.stringify(before)}`);
      const debtorId = (await page.getAttribute('#debtor', 'data-debtor')) as string;
      await page.keyboard.press(digit);
      if (fill) await fill();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#debtor[data-state="logged"], .error', { timeout: 10_000 }).catch(async (error: unknown) => {
        await page.screenshot({ path: path.join(ARTIFACTS, 'call-room-failed.png'), fullPage: true });
        throw new Error(`${String(error)}; status: ${await page.textContent('#status')}; errors: ${errors.join(' | ')}`);
      });
      expect(await page.$$eval('.error', (e) => e.map((x) => x.textContent))).toEqual([]);
      clock.advance(3 * 60_000);
      return debtorId;
    };
    const promised = await logNext('5', async () => {
      await page.keyboard.type('200');
      await page.keyboard.press('Tab');
      await page.fill('#promise-due', '2026-12-01');
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-room-promise-logged.png') });
    const optedOut = await logNext('8');
    const disputed = await logNext('7', async () => {
      await page.focus('#note');
      await page.keyboard.type('conteste le montant des frais');
    });
    const wrongNumberRow = await knex('dialer.call_list').where({ list_date: DAY1 }).orderBy(['rank', 'team_id']).offset(3).first('debtor_id', 'phone_e164');
    const wrong = await logNext('3');
    expect(wrong).toBe(wrongNumberRow.debtor_id);
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-room-day1.png'), fullPage: true });
    expect(await page.textContent('#calls-today')).toBe('4');
    expect(new Set([promised, optedOut, disputed, wrong]).size).toBe(4);

    const logged = await knex('dialer.call_outcomes').orderBy('called_at').select('debtor_id', 'outcome', 'agent_name', 'note', 'load_id');
    expect(logged.map((r: Record<string, unknown>) => [r.debtor_id, r.outcome, r.agent_name, r.load_id])).toEqual([
      [promised, 'promise', 'Léa Martin', null],
      [optedOut, 'do_not_call', 'Léa Martin', null],
      [disputed, 'dispute', 'Léa Martin', null],
      [wrong, 'wrong_number', 'Léa Martin', null],
    ]);
    expect(logged[2].note).toBe('conteste le montant des frais');

    const featuresOf = async (asOf: string) =>
      new Map(
        ((await knex('features.debtor_features').where({ as_of: asOf }).whereIn('debtor_id', [promised, optedOut, disputed, wrong])) as Record<string, unknown>[]).map((r) => [r.debtor_id as string, r]),
      );
    const before = await featuresOf(DAY1);

    // the next night
    await run('nightly_call_list', DAY1);

    // every logged call was extracted once, into clean.calls with its outcome
    expect((await knex('dialer.call_outcomes').whereNull('load_id')).length).toBe(0);
    const calls = await knex('clean.calls').where('call_id', 'like', 'RL-%').orderBy('called_at').select('debtor_id', 'outcome', 'agent', 'called_at');
    expect(calls.map((c: Record<string, unknown>) => [c.debtor_id, c.outcome, c.agent])).toEqual([
      [promised, 'promise', 'Léa Martin'],
      [optedOut, 'refusal', 'Léa Martin'],
      [disputed, 'right_party_contact', 'Léa Martin'],
      [wrong, 'wrong_number', 'Léa Martin'],
    ]);
    expect(new Date(calls[0].called_at).toISOString()).toBe('2026-11-24T09:00:00.000Z');
    // the promise is a promise, on the debtor's case, with its amount and due date
    const promise = await knex('clean.promises').where({ debtor_id: promised }).where('promise_id', 'like', 'call:RL-%').first();
    expect([Number(promise.amount), isoDate(promise.due_on), isoDate(promise.promised_on)]).toEqual([200, '2026-12-01', DAY1]);
    // one do-not-call request, kept under the call's key
    const requests = await knex('dialer.contact_requests').where({ debtor_id: optedOut, kind: 'do_not_call' }).whereNull('lifted_on');
    expect(requests.map((r: Record<string, unknown>) => [r.source, String(r.source_ref).startsWith('RL-')])).toEqual([['calls', true]]);

    // features of DAY2 moved by the calls
    const after = await featuresOf(DAY2);
    const n = (m: Map<string, Record<string, unknown>>, id: string, f: string) => Number(m.get(id)?.[f]);
    for (const id of [promised, optedOut, disputed, wrong]) expect([id, n(after, id, 'n_calls_30d') - n(before, id, 'n_calls_30d')]).toEqual([id, 1]);
    expect(n(after, promised, 'n_promises_365d') - n(before, promised, 'n_promises_365d')).toBe(1);
    expect(n(after, promised, 'open_promise_amount') - n(before, promised, 'open_promise_amount')).toBe(200);
    expect(n(after, promised, 'days_since_last_contact')).toBe(1);
    expect(n(after, optedOut, 'n_refusals_365d') - n(before, optedOut, 'n_refusals_365d')).toBe(1);
    expect(n(after, wrong, 'n_wrong_number_90d') - n(before, wrong, 'n_wrong_number_90d')).toBe(1);

    // exclusions and the list of DAY2
    const rules = async (id: string) => ((await knex('dialer.exclusions').where({ list_date: DAY2, debtor_id: id }).pluck('rule')) as string[]).sort();
    expect(await rules(optedOut)).toEqual(expect.arrayContaining(['do_not_call']));
    expect(await rules(disputed)).toEqual(expect.arrayContaining(['disputed']));
    // a promise and a dispute were conversations: the quiet days after a conversation apply
    expect(await rules(promised)).toEqual(expect.arrayContaining(['after_conversation']));
    const listed = new Map(((await knex('dialer.call_list').where({ list_date: DAY2 }).select('debtor_id', 'phone_e164')) as { debtor_id: string; phone_e164: string }[]).map((r) => [r.debtor_id, r.phone_e164]));
    for (const id of [promised, optedOut, disputed]) expect([id, listed.has(id)]).toEqual([id, false]);
    // the wrong number is never dialled again: the debtor is listed on another number, or excluded for want of one
    if (listed.has(wrong)) expect(listed.get(wrong)).not.toBe(wrongNumberRow.phone_e164);
    else expect(await rules(wrong)).toEqual(expect.arrayContaining(['no_valid_phone']));
    expect([...listed.values()]).not.toContain(wrongNumberRow.phone_e164);

    // the debtor page of the next morning says it: open promise, the call room's contact
    clock.set(`${DAY2}T09:30:00+01:00`);
    await page.goto(`${baseUrl}/debtor/${encodeURIComponent(promised)}`);
    await page.waitForSelector('#brief[data-ready="true"]', { timeout: 30_000 });
    expect((await page.textContent('#brief-promise'))?.replace(/[\u00a0\u202f]/g, ' ')).toBe('promesse en cours : 200 € pour le 01/12/2026');
    expect(await page.textContent('#brief-exclusions')).toContain('conversation récente');
    const expected = await similarByHand(knex, promised, DAY2);
    const similarText = (await page.textContent('#brief-similar-text'))?.replace(/[\u00a0\u202f]/g, ' ');
    if (expected.n === 0) expect(similarText).toBe('Aucun débiteur assez semblable il y a un mois.');
    else expect(similarText).toMatch(new RegExp(`^Sur ${expected.n} débiteurs? semblables? il y a un mois, ${expected.nPaid} (a|ont) payé dans les 30 jours suivants`));

    // similar debtors against a count by hand, for the first debtors of DAY2's list: same stage, balance −20 %/+25 %, same histories
    const sample = (await knex('dialer.call_list').where({ list_date: DAY2 }).orderBy('priority', 'desc').limit(25).pluck('debtor_id')) as string[];
    let withPeers = 0;
    for (const id of sample) {
      const res = await fetch(`${baseUrl}/api/debtors/${encodeURIComponent(id)}/brief?date=${DAY2}`, { headers: { authorization: `Bearer ${token}` } });
      const similar = ((await res.json()) as { similar: { n: number; nPaid: number; paidTotal: number } }).similar;
      const byHand = await similarByHand(knex, id, DAY2);
      expect([id, similar.n, similar.nPaid, Math.round(similar.paidTotal * 100)]).toEqual([id, byHand.n, byHand.nPaid, Math.round(byHand.paidTotal * 100)]);
      if (similar.n > 0) withPeers += 1;
    }
    expect(withPeers).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-room-day2-debtor.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 600_000);
});
