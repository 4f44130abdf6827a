/**
 * The call room's French pages in a real browser (Debian's Chromium driven by playwright-core):
 * every page speaks French with no English label left and switches to English with ?lang=en; the
 * list's search ignores accents and its page and filters survive Back; the lead's view explains the
 * list's size, flags a stale list and shows the day's progress; the print layout puts 25 debtors on
 * an A4 sheet; the CSV download is French Excel's; the pipeline page asks before acting, pauses,
 * draws the last run's Gantt and refreshes itself; /queues explains embedded mode.
 * Screenshots go to test/artifacts/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { services } from '../helpers/services';
import { catalogue } from '../../src/api/i18n';
import { openTestApi, type TestApi } from './api-server';
import { seedLeadDay, type LeadFixture } from './fixture-lead';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const describeIfBrowser = existsSync(CHROMIUM) && services.postgres ? describe : describe.skip;
type Role = 'agent' | 'lead' | 'it' | 'analyst';

/** English messages that differ from French, cut at their placeholders: none may show on a French page. */
function englishFragments(): string[] {
  const fr = catalogue('fr');
  const en = catalogue('en');
  const out = new Set<string>();
  const walk = (a: unknown, b: unknown) => {
    if (typeof a === 'string' && typeof b === 'string') {
      if (a === b) return;
      for (const part of a.split(/\{\{[^}]*\}\}/)) {
        const p = part.trim();
        // Short fragments (“API”, “%”) and words French shares (“Version”, “Test”) prove nothing.
        if (p.length >= 6 && /[a-z]{3}/i.test(p) && !b.includes(p)) out.add(p);
      }
    } else if (a && typeof a === 'object' && b && typeof b === 'object') {
      for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    }
  };
  walk(en, fr);
  return [...out];
}

describeIfBrowser('the call room in French, in a browser', () => {
  let api: TestApi;
  let browser: Browser;
  let lead: LeadFixture;
  const errors: string[] = [];
  const ENGLISH = englishFragments();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [api, browser] = await Promise.all([
      openTestApi({ engine: 'postgres', n: 120 }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] }),
    ]);
    lead = await seedLeadDay(api.database.db.knex, api.fixture.listDate);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function signedIn(role: Role, options: { locale?: string } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: options.locale ?? 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${role} ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${role} ${page.url()}: ${error.message}`));
    await page.goto(`${api.baseUrl}/login#token=${api.fixture.tokens[role]}`);
    await page.waitForURL('**/call-list**');
    return page;
  }

  /** The page's visible text must hold no English message and no raw message key. */
  async function expectFrench(page: Page, name: string): Promise<void> {
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    // Text marked lang="en" is the switch to English and audit records kept as written (model registry).
    const text = await page.evaluate<string>(`(() => { const body = document.body.cloneNode(true); body.querySelectorAll('[lang="en"]').forEach((e) => e.remove()); document.documentElement.append(body); body.style.position = 'absolute'; const text = body.innerText; body.remove(); return text; })() + '\\n' + document.title + '\\n' + [...document.querySelectorAll('[title]:not([lang="en"]),[placeholder],[aria-label]')].map((e) => [e.getAttribute('title'), e.getAttribute('placeholder'), e.getAttribute('aria-label')].filter(Boolean).join(' ')).join('\\n')`);
    const left = ENGLISH.filter((fragment) => text.includes(fragment));
    expect([name, left]).toEqual([name, []]);
    expect([name, text.match(/\b(common|call-list|lead|pipeline|model|drift|login|debtor):[a-z_.]+/g) ?? []]).toEqual([name, []]);
    await page.screenshot({ path: path.join(ARTIFACTS, `fr-${name}.png`), fullPage: true });
  }

  test('every page speaks French with no English label left', async () => {
    const page = await signedIn('it');
    const date = api.fixture.listDate;
    const visits: [string, string, string][] = [
      ['call-list', '/call-list', '#call-list[data-loaded="true"] tbody tr[data-debtor]'],
      ['lead', `/lead?date=${date}`, 'main[data-ready="true"]'],
      ['pipeline', '/pipeline', 'main[data-ready="true"]'],
      ['model', '/model', 'main[data-ready="true"]'],
      ['drift', '/drift', 'main[data-ready="true"]'],
      ['print', `/call-list/print?date=${date}&team=equipe-2`, 'main[data-ready="true"]'],
      ['queues', '/queues', 'main[data-ready="true"]'],
    ];
    for (const [name, url, ready] of visits) {
      await page.goto(api.baseUrl + url);
      await page.waitForSelector(ready, { timeout: 20_000 });
      await expectFrench(page, name);
    }
    await page.goto(`${api.baseUrl}/login`);
    await page.waitForFunction(`document.querySelector('#login button').textContent.length > 0`);
    await expectFrench(page, 'login');
    await page.context().close();
  });

  test('?lang=en switches to English and the choice sticks (cookie); the money and dates follow the language', async () => {
    const page = await signedIn('lead');
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    expect(await page.textContent('nav.topbar a[href="/call-list"]')).toBe("Liste d'appels");
    await page.goto(`${api.baseUrl}/call-list?lang=en`);
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('nav.topbar a[href="/call-list"]')).toBe('Call list');
    await page.goto(`${api.baseUrl}/lead`);
    await page.waitForSelector('main[data-ready="true"]');
    expect(await page.textContent('h1')).toBe('Team lead');
    await page.click('#language');
    await page.waitForFunction(`document.documentElement.lang === 'fr' && document.querySelector('main')?.dataset.ready === 'true'`);
    expect(await page.textContent('h1')).toBe("Pilotage de l'équipe");
    // The switch was saved as the lead's preference.
    expect((await api.database.db.knex('access.api_tokens').where({ name: 'test-lead' }).first())?.language).toBe('fr');
    await page.context().close();
  });

  test('call list: accent-blind search, French formats, tel: links, and Back returns to the same page and filters', async () => {
    const page = await signedIn('agent');
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    await page.fill('#f-search', 'frederic');
    await page.waitForFunction(`document.querySelector('#total')?.dataset.value === '2'`);
    const names = await page.$$eval('#call-list tbody tr td:nth-child(2) a', (as) => as.map((a) => a.textContent).sort());
    expect(names).toEqual(['Frederic Anaïs', 'Lefèvre Frédéric']);
    const row = page.locator('#call-list tbody tr[data-debtor="X00001"]');
    // fr-FR money (narrow no-break space between thousands, no-break space before €) and the debtor's own time (Guadeloupe, UTC−4).
    expect((await row.locator('td[data-col="balance"]').textContent())?.replace(/[\u202f\u00a0]/g, ' ')).toBe('1 234,56 €');
    expect(await row.locator('td[data-col="window"]').textContent()).toMatch(/^10:00–12:00America\/Guadeloupe/);
    expect(await row.locator('td[data-col="phone"] a').getAttribute('href')).toBe('tel:+33612345670');
    expect(page.url()).toContain('q=frederic');

    await page.fill('#f-search', '');
    await page.waitForFunction(`Number(document.querySelector('#total')?.dataset.value) > 100`);
    await page.selectOption('#f-team', 'equipe-1');
    await page.waitForFunction(`document.querySelector('#call-list')?.dataset.loaded === 'true' && location.search.includes('team=equipe-1')`);
    const teamTotal = Number(await page.getAttribute('#total', 'data-value'));
    await page.fill('#f-search', 'MARTIN');
    await page.waitForFunction(`document.querySelector('#call-list')?.dataset.loaded === 'true' && location.search.includes('q=MARTIN')`);
    const martins = Number(await page.getAttribute('#total', 'data-value'));
    expect(martins).toBeGreaterThan(0);
    expect(martins).toBeLessThan(teamTotal);
    const target = await page.getAttribute('#call-list tbody tr[data-debtor]', 'data-debtor');
    const before = page.url();
    await page.click(`#call-list tbody tr[data-debtor="${target}"] td:nth-child(2) a`);
    await page.waitForURL(`**/debtor/${target}`);
    await page.waitForSelector('main[data-ready="true"]');
    await expectFrench(page, 'debtor');
    await page.goBack();
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    expect(page.url()).toBe(before);
    expect(await page.inputValue('#f-search')).toBe('MARTIN');
    expect(await page.inputValue('#f-team')).toBe('equipe-1');
    expect(Number(await page.getAttribute('#total', 'data-value'))).toBe(martins);
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-list-search.png') });
    await page.context().close();
  });

  test('pages of the list live in the address: page 2, a debtor, Back is page 2 again', async () => {
    const page = await signedIn('lead');
    await page.goto(`${api.baseUrl}/call-list?lang=fr`);
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    await page.click('#next');
    await page.waitForFunction(`location.search.includes('page=2') && document.querySelector('#call-list')?.dataset.loaded === 'true'`);
    const firstOnPage2 = await page.getAttribute('#call-list tbody tr[data-debtor]', 'data-debtor');
    expect(await page.textContent('#page')).toMatch(/^page 2 sur \d+$/);
    await page.click('#call-list tbody tr[data-debtor] td:nth-child(2) a');
    await page.waitForURL('**/debtor/**');
    await page.goBack();
    await page.waitForFunction(`document.querySelector('#call-list')?.dataset.loaded === 'true'`);
    expect(await page.getAttribute('#call-list tbody tr[data-debtor]', 'data-debtor')).toBe(firstOnPage2);
    await page.goBack();
    await page.waitForFunction(`!location.search.includes('page=2') && document.querySelector('#call-list')?.dataset.loaded === 'true'`);
    expect(await page.textContent('#page')).toMatch(/^page 1 sur/);
    await page.context().close();
  });

  test("lead view: why the list is this size, excluded debtors by rule, today's progress, empty days and the stale banner", async () => {
    const page = await signedIn('lead');
    const date = api.fixture.listDate;
    await page.goto(`${api.baseUrl}/lead?date=${date}`);
    await page.waitForSelector('main[data-ready="true"]');
    expect(await page.isHidden('#stale-banner')).toBe(true);
    const listed = Number((await page.textContent('#k-listed'))?.replace(/\D/g, ''));
    expect(listed).toBe(122);
    expect(await page.textContent('#k-excluded')).toBe('6');
    expect(await page.textContent('#k-deferred')).toBe('4');
    expect(await page.textContent('#k-holdout')).toBe('3');
    expect(await page.textContent('#rules tr[data-rule="do_not_call"] td:first-child')).toBe('Ne pas appeler (opposition)');
    await page.click('#rules tr[data-rule="do_not_call"]');
    await page.waitForFunction(`location.search.includes('rule=do_not_call') && document.querySelector('#exclusions')?.dataset.loaded === 'true'`);
    expect((await page.$$eval('#exclusions tbody tr[data-debtor]', (trs) => trs.map((tr) => tr.getAttribute('data-debtor')))).sort()).toEqual(lead.excludedByRule.do_not_call);
    await page.fill('#f-exclusion-search', 'helene');
    await page.waitForFunction(`document.querySelectorAll('#exclusions tbody tr[data-debtor]').length === 1`);
    expect(await page.textContent('#exclusions tbody tr[data-debtor] td:first-child a')).toBe('Gérard Hélène');
    expect(await page.textContent('#exclusions tbody tr[data-debtor] td:nth-child(4)')).toBe('demande de ne pas être appelé');
    const agnes = page.locator('#agents tr[data-agent="Agnès"] td');
    expect(await agnes.allTextContents()).toEqual(['Agnès', '3', '2', '1', expect.stringMatching(/^150,00\s€$/), '3']);
    expect(await page.textContent('#calendar tr[data-date="2026-11-22"] td:nth-child(2)')).toBe("Week-end : pas d'appels ce jour-là");
    expect(await page.textContent('#calendar tr[data-date="2026-11-11"] td:nth-child(2)')).toBe("Jour férié (Armistice 1918) : pas d'appels");
    await page.screenshot({ path: path.join(ARTIFACTS, 'lead.png'), fullPage: true });

    await page.click(`#calendar tr[data-date="${lead.failedDate}"]`);
    await page.waitForFunction(`location.search.includes('date=${lead.failedDate}') && document.querySelector('main')?.dataset.ready === 'true'`);
    expect(await page.isVisible('#stale-banner')).toBe(true);
    expect(await page.textContent('#stale-banner')).toContain('24/11/2026');
    expect(await page.textContent('#stale-banner')).toContain('le traitement a échoué');
    await page.screenshot({ path: path.join(ARTIFACTS, 'lead-stale.png'), fullPage: false });
    await page.goBack();
    await page.waitForFunction(`location.search.includes('date=${date}') && document.querySelector('main')?.dataset.ready === 'true'`);
    expect(await page.isHidden('#stale-banner')).toBe(true);
    await page.context().close();
  });

  test('print layout: one A4 sheet per 25 debtors and team, no navigation, phones readable', async () => {
    const page = await signedIn('lead');
    const date = api.fixture.listDate;
    await page.goto(`${api.baseUrl}/call-list?date=${date}&team=equipe-2`);
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    const total = Number(await page.getAttribute('#total', 'data-value'));
    await page.click('#print');
    await page.waitForURL('**/call-list/print?**');
    await page.waitForSelector('main[data-ready="true"]');
    const sheets = Math.ceil(total / 25);
    expect(Number(await page.getAttribute('main', 'data-sheets'))).toBe(sheets);
    expect(await page.$$eval('section.sheet', (s) => s.map((x) => x.querySelectorAll('tbody tr').length))).toEqual(Array.from({ length: sheets }, (_, i) => Math.min(25, total - i * 25)));
    await page.emulateMedia({ media: 'print' });
    expect(await page.isHidden('.print-actions')).toBe(true);
    expect(await page.$('nav.topbar')).toBeNull();
    const phoneSize = await page.evaluate<number>(`Number.parseFloat(getComputedStyle(document.querySelector('td.phone')).fontSize)`);
    expect(phoneSize).toBeGreaterThanOrEqual(13);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(path.join(ARTIFACTS, 'call-list-print.pdf'), pdf);
    // One PDF page per sheet: the 25 rows of a sheet fit on A4.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(sheets);
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-list-print.png'), fullPage: false });
    await page.context().close();
  });

  test('the export link downloads the French CSV of the filtered list', async () => {
    const page = await signedIn('agent');
    await page.waitForSelector('#call-list[data-loaded="true"] tbody tr[data-debtor]');
    await page.fill('#f-search', 'FRÉDÉRIC');
    await page.waitForFunction(`document.querySelector('#total')?.dataset.value === '2'`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toBe(`liste-appels-${api.fixture.listDate}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]!.split(';').slice(0, 8)).toEqual(['Date de la liste', 'Équipe', 'Rang', 'Identifiant débiteur', 'Nom', 'Étude', 'Téléphone', 'Solde (€)']);
    expect(lines).toHaveLength(3);
    expect(lines.every((l, i) => i === 0 || l.includes(';1234,56;'))).toBe(true);
    await page.context().close();
  });

  test('pipeline: asks before acting, pauses and unpauses, draws the last run, labels runs by list date, refreshes itself', async () => {
    const page = await signedIn('it');
    await page.goto(`${api.baseUrl}/pipeline?refresh=1`);
    await page.waitForSelector('main[data-ready="true"]');
    expect(await page.textContent('#schedule')).toBe('tous les jours à 02:00 (Europe/Paris)');
    expect(await page.textContent('#next-run')).toMatch(/^\d{2}\/\d{2}\/\d{4} 02:00$/);
    expect(await page.$$eval('#grid th.run', (ths) => ths.map((th) => th.getAttribute('data-list-date')))).toContain(api.fixture.listDate);
    expect(await page.$$eval('#grid th.run', (ths) => ths.map((th) => th.textContent))).toContain('liste du 24/11/2026');
    await page.waitForSelector('#chart-gantt[data-rendered="true"] svg');
    expect(await page.$$eval('#chart-gantt svg .mark-rect path', (p) => p.length)).toBeGreaterThanOrEqual(7);

    // Dismissed: nothing happens. Accepted: the request goes out (this API has no scheduler: a French 503 message).
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await page.click('#trigger');
    await page.waitForFunction(() => true);
    expect(asked[0]).toMatch(/^Lancer maintenant un traitement « Liste d'appels de la nuit »/);
    expect(await page.textContent('#message')).toBe('');
    page.once('dialog', (d) => void d.accept());
    await page.click('#trigger');
    await page.waitForFunction(`document.querySelector('#message')?.textContent.length > 0`);
    expect(await page.textContent('#message')).toBe("Service indisponible : ce serveur n'est pas relié à l'ordonnanceur.");
    // That 503 is the answer this test asked for, not a fault of the page.
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('503 (Service Unavailable)')));

    page.once('dialog', (d) => void d.accept());
    await page.click('#pause');
    await page.waitForFunction(`document.querySelector('#dag-state')?.textContent === 'en pause'`);
    expect(await page.textContent('#pause')).toBe('Réactiver');
    expect((await api.database.db.knex('orchestrator.dag_state').where({ dag_id: 'nightly_call_list' }).first())?.paused).toBe(true);
    page.once('dialog', (d) => void d.accept());
    await page.click('#pause');
    await page.waitForFunction(`document.querySelector('#dag-state')?.textContent === 'actif'`);

    await page.click('#grid td.cell[data-state="failed"]');
    await page.waitForSelector('#logs');
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await page.click('#clear-task');
    expect(asked[1]).toContain('Relancer la tâche score');

    const refreshes = Number(await page.getAttribute('main', 'data-refreshes'));
    await page.waitForFunction(`Number(document.querySelector('main').dataset.refreshes) >= ${refreshes + 2}`, undefined, { timeout: 15_000 });
    expect(await page.isVisible('#logs')).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pipeline-fr.png'), fullPage: true });
    await page.context().close();
  });

  test('a time axis with a single day shows that date', async () => {
    const page = await signedIn('analyst');
    await page.goto(`${api.baseUrl}/drift`);
    await page.waitForSelector('main[data-ready="true"]');
    const labels = await page.evaluate<string[]>(`(async () => {
      const host = document.createElement('div');
      document.querySelector('main').append(host);
      const rows = [{ day: '2026-11-23', value: 0.4 }];
      await Relance.chart(host, { height: 80, data: { values: rows }, mark: { type: 'point' }, encoding: { x: Relance.dateAxis('day', null, rows), y: { field: 'value', type: 'quantitative' } } });
      return [...host.querySelectorAll('.role-axis-label text')].map((t) => t.textContent);
    })()`);
    expect(labels).toContain('23/11/2026');
    await page.context().close();
  });

  test('no page logged a console error', () => {
    expect(errors).toEqual([]);
  });
});
