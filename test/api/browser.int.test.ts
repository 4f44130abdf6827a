/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a server
 * on a seeded Postgres test database: every page renders its charts without console errors, the
 * call list filters and exports, a click leads from the list to a debtor's explanation, and the
 * IT role sees the pipeline grid with logs and a re-run button. Screenshots go to test/artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { services } from '../helpers/services';
import { openTestApi, type TestApi } from './api-server';
import { markPublishedListStale } from '../../src/ranking';
import { addDays } from '../../src/core/ids';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: under CI the browser tests must run (apt-get install chromium)`);
  console.warn(`!!! SKIPPING the browser tests: ${CHROMIUM} is missing (apt-get install chromium).`);
}
const describeIfBrowser = hasChromium && services.postgres ? describe : describe.skip;

describeIfBrowser('dashboard in a browser', () => {
  let api: TestApi;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [api, browser] = await Promise.all([
      openTestApi({ engine: 'postgres' }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] }),
    ]);
  }, 60_000);
  afterAll(async () => {
    const serverErrors = api?.logLines.filter((l) => / ERROR /.test(l)) ?? [];
    if (serverErrors.length) console.warn(`server errors:\n${serverErrors.join('\n').slice(0, 4000)}`);
    await browser?.close();
    await api?.close();
  });

  async function signedIn(role: 'agent' | 'lead' | 'it' | 'analyst'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${role} ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${role} ${page.url()}: ${error.message}`));
    await page.goto(`${api.baseUrl}/login#token=${api.fixture.tokens[role]}`);
    await page.waitForURL('**/call-list**');
    return page;
  }

  async function renderedCharts(page: Page): Promise<string[]> {
    return page.$$eval('[data-rendered="true"]', (nodes) => nodes.filter((n) => n.querySelector('svg')).map((n) => n.getAttribute('data-chart') ?? n.id));
  }

  test('call list: ranked table, team filter, search, CSV export, then a debtor with its explanation', async () => {
    const page = await signedIn('lead');
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    const all = Number(await page.getAttribute('#total', 'data-value'));
    expect(all).toBe(api.fixture.debtorIds.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-list.png'), fullPage: false });

    await page.selectOption('#f-team', 'equipe-2');
    await page.waitForFunction(`Number(document.querySelector('#total')?.dataset.value) < ${all}`);
    const teams = await page.$$eval('#call-list tbody tr td:nth-child(3)', (tds) => [...new Set(tds.map((td) => td.firstChild?.textContent))]);
    expect(teams).toEqual(['equipe-2']);
    const filtered = Number(await page.getAttribute('#total', 'data-value'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0]).toBe('Date de la liste;Équipe;Rang;Identifiant débiteur;Nom;Étude;Téléphone;Solde (€);Chance de paiement (%);Chance de joindre (%);Montant attendu (€);Recouvrement attendu (€);Apport de l\'appel (€);Chance de paiement si appelé (%);Chance de paiement sans appel (%);Début du créneau;Fin du créneau;Fuseau horaire;Pourquoi l\'appel compte;Pourquoi');
    expect(csv.length - 1).toBe(filtered);
    expect(csv.slice(1).every((line) => line.split(';')[1] === 'equipe-2')).toBe(true);

    await page.fill('#f-search', 'Dubois');
    await page.waitForFunction(`[...document.querySelectorAll('#call-list tbody tr td:nth-child(2) a')].every((a) => a.textContent.startsWith('Dubois'))`);
    const first = await page.getAttribute('#call-list tbody tr[data-debtor]', 'data-debtor');
    await page.click('#call-list tbody tr[data-debtor] td:nth-child(2) a');
    await page.waitForURL(`**/debtor/${first}`);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 20_000 });
    const charts = await renderedCharts(page);
    expect(charts).toEqual(expect.arrayContaining(['score', 'waterfall', 'timeline', 'rank-history']));
    expect(await page.$$eval('#chart-waterfall svg .mark-rect path', (p) => p.length)).toBeGreaterThanOrEqual(5);
    expect(await page.$$eval('#chart-comparison .comparison-feature svg', (s) => s.length)).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('#p-pay')).toMatch(/%/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'debtor.png'), fullPage: true });
    await page.context().close();
  });

  test('model and monitoring pages draw every chart', async () => {
    const page = await signedIn('analyst');
    await page.goto(`${api.baseUrl}/model`);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 20_000 });
    expect(await renderedCharts(page)).toEqual(expect.arrayContaining(['roc', 'calibration', 'lift', 'gain', 'importance', 'cost']));
    await page.screenshot({ path: path.join(ARTIFACTS, 'model.png'), fullPage: true });

    await page.goto(`${api.baseUrl}/drift`);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 20_000 });
    expect(await page.textContent('#dataset-drift')).toBe('dérive globale');
    await page.click('#drift-table tbody tr:nth-child(2)');
    await page.waitForFunction(`document.querySelector('#drift-table tbody tr:nth-child(2)')?.classList.contains('selected')`);
    expect(await renderedCharts(page)).toEqual(expect.arrayContaining(['drift-history', 'distribution', 'realised-auc', 'realised-deciles', 'uplift-pay-rate', 'uplift-amount']));
    expect(await page.$$eval('#uplift-weeks tbody tr', (rows) => rows.length)).toBe(5);
    expect(await page.$$eval('#chart-uplift-pay-rate svg .mark-rule path, #chart-uplift-pay-rate svg .mark-rule line', (marks) => marks.length)).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: path.join(ARTIFACTS, 'drift.png'), fullPage: true });
    await page.context().close();
  });

  test('pipeline grid: states by colour, logs of a failed task, re-run button for IT only', async () => {
    const page = await signedIn('it');
    await page.goto(`${api.baseUrl}/pipeline`);
    await page.waitForSelector('#grid[data-loaded="true"]');
    expect(await page.$$eval('#grid td.cell[data-state="failed"]', (c) => c.length)).toBe(1);
    expect(await page.$$eval('#grid td.cell[data-state="upstream_failed"]', (c) => c.length)).toBe(3);
    await page.click('#grid td.cell[data-state="failed"]');
    await page.waitForSelector('#logs');
    expect(await page.textContent('#logs')).toContain('score failed: connection lost');
    expect(await page.isVisible('#clear-task')).toBe(true);
    expect(await page.isVisible('#trigger')).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pipeline.png'), fullPage: true });
    await page.context().close();

    const lead = await signedIn('lead');
    await lead.goto(`${api.baseUrl}/pipeline`);
    await lead.waitForSelector('#grid[data-loaded="true"]');
    await lead.click('#grid td.cell[data-state="failed"]');
    await lead.waitForSelector('#logs');
    expect(await lead.$('#clear-task')).toBeNull();
    expect(await lead.$('#trigger')).toBeNull();
    await lead.context().close();
  });

  test('phone numbers are shown to agents and masked for analysts', async () => {
    const agent = await signedIn('agent');
    await agent.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    expect(await agent.textContent('#call-list tbody tr td[data-col="phone"]')).toMatch(/^\+336\d{8}$/);
    await agent.context().close();
    const analyst = await signedIn('analyst');
    await analyst.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    expect(await analyst.textContent('#call-list tbody tr td[data-col="phone"]')).toMatch(/^\+33•+\d{2}$/);
    await analyst.context().close();
  });

  test('the main page shows the open alerts to the lead, in French, and nothing to agents', async () => {
    const lead = await signedIn('lead');
    await lead.waitForSelector('#open-alerts li');
    expect(await lead.textContent('#open-alerts h2')).toBe('Alertes ouvertes (2)');
    const items = await lead.$$eval('#open-alerts li', (nodes) => nodes.map((n) => n.textContent ?? ''));
    expect(items.some((t) => t.startsWith('Dérive des données'))).toBe(true);
    expect(items.some((t) => t.startsWith('AUC réalisée · critique'))).toBe(true);
    await lead.context().close();
    const agent = await signedIn('agent');
    await agent.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    await agent.waitForLoadState('networkidle');
    expect(await agent.$('#open-alerts')).toBeNull();
    await agent.context().close();
  });

  test('a stale list carries a French banner with the reason', async () => {
    const page = await signedIn('agent');
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    expect(await page.isVisible('#stale-banner')).toBe(false);
    const { listDate } = api.fixture;
    await api.database.db.knex('dialer.publications').insert({ list_date: listDate, run_id: 'night-1', candidates: 1, listed: 1, excluded: 0, deferred: 0, holdout: 0, expected_recovery: 1, published_at: '2026-11-24T01:30:00Z' }).onConflict('list_date').ignore();
    await markPublishedListStale(api.database.db, { upTo: addDays(listDate, 1), reason: 'office_csv.debtors: no file matches debiteurs*.csv (export missing)', runId: 'night-2', at: new Date('2026-11-25T01:05:00Z') });
    await page.reload();
    await page.waitForSelector('#stale-banner:not([hidden])');
    const text = (await page.textContent('#stale-banner')) ?? '';
    expect(text).toMatch(/^Liste périmée\. Aucune nouvelle liste n'a pu être publiée depuis le .*25.*11.*2026/);
    expect(text).toMatch(/La liste en vigueur est celle du .*24.*11.*2026/);
    expect(text).toContain('Motif : office_csv.debtors: no file matches');
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-list-stale.png'), fullPage: false });
    await page.context().close();
  });

  test('no page logged a console error', () => {
    expect(errors).toEqual([]);
  });
});
