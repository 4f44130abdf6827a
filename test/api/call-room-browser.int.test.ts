/**
 * The call room in Debian's Chromium against a seeded Postgres database: an agent signs in,
 * takes the next debtor, logs calls from the keyboard only (digit, Enter, N), a promise with its
 * amount and due date; the page is French with no English label left; the debtor page leads with
 * the brief in points of probability. Screenshots go to test/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FixedClock } from '../../src/core/clock';
import { isoDate } from '../../src/core/ids';
import { createApiToken } from '../../src/api/auth/tokens';
import { catalogue } from '../../src/api/i18n';
import { services } from '../helpers/services';
import { openTestApi, type TestApi } from './api-server';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const describeIfBrowser = existsSync(CHROMIUM) && services.postgres ? describe : describe.skip;

/** English messages of the call room's namespaces that differ from their French version. */
export function englishOnlyLabels(namespaces: readonly string[]): string[] {
  const flat = (node: unknown, out: string[] = []): string[] => {
    if (typeof node === 'string') out.push(node);
    else if (node && typeof node === 'object') for (const v of Object.values(node)) flat(v, out);
    return out;
  };
  const frTexts = namespaces.flatMap((ns) => flat(catalogue('fr')[ns]));
  const fr = new Set(frTexts);
  const frJoined = frTexts.join('\n');
  // Placeholders are cut out: only the words around them can show on a page.
  return namespaces
    .flatMap((ns) => flat(catalogue('en')[ns]))
    .filter((s) => !fr.has(s))
    .flatMap((s) => s.split(/\{\{[^}]+\}\}/))
    .map((s) => s.trim().replace(/^[:·—–(),.]+|[:·—–(),.]+$/g, '').trim())
    .filter((s) => s.length >= 4 && /[a-z]{3}/i.test(s) && !frJoined.includes(s));
}

describeIfBrowser('call room in a browser', () => {
  let api: TestApi;
  let browser: Browser;
  let agentToken: string;
  const errors: string[] = [];
  const clock = new FixedClock('2026-11-24T10:00:00+01:00');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [api, browser] = await Promise.all([
      openTestApi({ engine: 'postgres', n: 150, clock }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] }),
    ]);
    agentToken = (await createApiToken(api.database.db.knex, { name: 'Camille Agent', role: 'agent' })).token;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function signedIn(token: string, lang?: 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 1000 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${api.baseUrl}/login#token=${token}`);
    await page.waitForURL('**/call-list**');
    await page.goto(`${api.baseUrl}/my-calls${lang ? `?lang=${lang}` : ''}`);
    await page.waitForSelector('main[data-ready="true"]');
    return page;
  }

  test('an agent works the list from the keyboard: N, a digit, Enter; a promise with amount and due date', async () => {
    const page = await signedIn(agentToken);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.keyboard.press('n');
    await page.waitForSelector('#debtor[data-state="claimed"] #brief');
    const first = await page.getAttribute('#debtor', 'data-debtor');
    const tel = await page.getAttribute('#tel', 'href');
    expect(tel).toMatch(/^tel:\+336\d{8}$/);
    // the window is in the debtor's local time, the balance in French money
    expect(await page.textContent('#brief-window')).toMatch(/^\d{2}:\d{2} – \d{2}:\d{2} \(heure locale du débiteur, [A-Za-z/_]+\)$/);
    expect(await page.textContent('#brief-balance')).toMatch(/^[\d\s\u202f\u00a0]+\s€$/);
    expect(await page.$$eval('#brief-explanation li', (li) => li.map((x) => x.textContent))).toEqual(expect.arrayContaining([expect.stringMatching(/(augmente|diminue) la probabilité de payer de \d+,\d points$/)]));
    await page.screenshot({ path: path.join(ARTIFACTS, 'my-calls.png'), fullPage: true });

    // 2 = busy, Enter saves: no mouse
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#debtor[data-state="logged"]');
    expect(await page.textContent('#calls-today')).toBe('1');

    // N: the next debtor, 5 = promise, type the amount, tab to the date, Enter
    await page.keyboard.press('n');
    await page.waitForFunction(`(document.querySelector('#debtor[data-state="claimed"]')?.getAttribute('data-debtor') ?? ${JSON.stringify(first)}) !== ${JSON.stringify(first)}`);
    const second = (await page.getAttribute('#debtor', 'data-debtor')) as string;
    await page.keyboard.press('5');
    expect(await page.evaluate('document.activeElement?.id')).toBe('promise-amount');
    await page.keyboard.type('120,50'.replace(',', '.'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('promise-due');
    // the date field's digit order follows the browser's own locale: set its value as typing would
    await page.fill('#promise-due', '2026-12-05');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#debtor[data-state="logged"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'my-calls-logged.png'), fullPage: false });

    const rows = await api.database.db.knex('dialer.call_outcomes').where({ agent_name: 'Camille Agent' }).orderBy('called_at').select('debtor_id', 'outcome', 'promise_amount', 'promise_due_on');
    expect(rows.map((r: Record<string, unknown>) => [r.debtor_id, r.outcome])).toEqual([[first, 'busy'], [second, 'promise']]);
    expect(Number(rows[1].promise_amount)).toBe(120.5);
    expect(isoDate(rows[1].promise_due_on)).toBe('2026-12-05');

    // the debtor page leads with the brief, the promise just logged included
    await page.goto(`${api.baseUrl}/debtor/${encodeURIComponent(second)}`);
    await page.waitForSelector('#brief[data-ready="true"]', { timeout: 20_000 });
    expect((await page.textContent('#brief-promise'))?.replace(/[\u00a0\u202f]/g, ' ')).toBe('promesse en cours : 121 € pour le 05/12/2026');
    expect(await page.textContent('#brief-contacts')).toContain('Promesse de paiement');
    await page.screenshot({ path: path.join(ARTIFACTS, 'debtor-brief.png'), fullPage: true });
    await page.context().close();
  });

  test('the call room is French: no English label of its catalogues is left on the page; English with ?lang=en', async () => {
    const english = englishOnlyLabels(['callroom', 'debtor', 'outcomes']);
    expect(english.length).toBeGreaterThan(50);
    const page = await signedIn(agentToken);
    await page.keyboard.press('n');
    await page.waitForSelector('#debtor[data-state="claimed"] #brief');
    const text = (await page.evaluate('document.body.innerText')) as string;
    expect(english.filter((label) => text.includes(label))).toEqual([]);
    expect(text).toContain('Débiteur suivant (N)');
    await page.context().close();

    const en = await signedIn(agentToken, 'en');
    expect(await en.getAttribute('html', 'lang')).toBe('en');
    await en.waitForSelector('#debtor[data-state="claimed"] #brief');
    expect(await en.evaluate('document.body.innerText')).toContain('Next debtor (N)');
    await en.context().close();
  });

  test('no page logged a console error', () => {
    expect(errors).toEqual([]);
  });
});
