/**
 * The pages' language and the IT pages' API: `<html lang>` from ?lang=, the cookie, the person's
 * preference, the office's locale; responses compressed; /queues answers in embedded mode; pause
 * and unpause; runs labelled by the list date they produce; the next scheduled run.
 */
import { openTestApi, call, type TestApi } from '../api-server';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi({ n: 30 });
}, 60_000);
afterAll(async () => api?.close());

const langOf = (html: string) => /<html lang="(\w+)"/.exec(html)?.[1];

describe('page language', () => {
  test('French by default, English with ?lang=en, which the lang cookie then keeps', async () => {
    const plain = await call(api, 'GET', '/call-list');
    expect(langOf(plain.text)).toBe('fr');
    expect(plain.text).toContain('data-time-zone="Europe/Paris"');
    expect(plain.text).toContain('<script src="/static/vendor/i18next.min.js" defer></script>');
    const en = await call(api, 'GET', '/lead?lang=en');
    expect(langOf(en.text)).toBe('en');
    expect(en.headers.get('set-cookie')).toMatch(/^lang=en;/);
    expect(langOf((await call(api, 'GET', '/pipeline', { headers: { cookie: 'lang=en' } })).text)).toBe('en');
  });

  test("a person's preference (PUT /api/me/language) chooses the language of their pages", async () => {
    const token = api.fixture.tokens.agent;
    const set = await call(api, 'PUT', '/api/me/language', { token, body: { language: 'en' } });
    expect(set.status).toBe(200);
    expect((await call(api, 'GET', '/api/me', { token })).json()).toMatchObject({ language: 'en' });
    // The page shell is public: the preference comes from the token cookie, without any lang cookie.
    expect(langOf((await call(api, 'GET', '/call-list', { headers: { cookie: `relance_token=${token}` } })).text)).toBe('en');
    expect(langOf((await call(api, 'GET', '/call-list', { headers: { cookie: `relance_token=${token}; lang=fr` } })).text)).toBe('fr');
    expect((await call(api, 'PUT', '/api/me/language', { token, body: { language: 'de' } })).status).toBe(400);
    await call(api, 'PUT', '/api/me/language', { token, body: { language: null } });
    expect(langOf((await call(api, 'GET', '/call-list', { headers: { cookie: `relance_token=${token}` } })).text)).toBe('fr');
  });

  test('the catalogues and the chart formats of each language', async () => {
    const fr = (await call(api, 'GET', '/i18n/fr.json')).json();
    expect(Object.keys(fr)).toEqual(expect.arrayContaining(['common', 'call-list', 'lead', 'pipeline', 'model', 'drift', 'login']));
    expect(fr.common.nav.call_list).toBe("Liste d'appels");
    expect((await call(api, 'GET', '/i18n/de.json')).status).toBe(404);
    const vega = (await call(api, 'GET', '/i18n/fr/vega-locale.json')).json();
    expect(vega.format).toMatchObject({ decimal: ',', currency: ['', '\u00a0€'] });
    expect(vega.timeFormat.months[11]).toBe('décembre');
  });
});

describe('IT pages', () => {
  test('chart pages, their scripts and the data are served compressed', async () => {
    for (const url of ['/static/vendor/vega.min.js', '/static/vendor/vega-lite.min.js', '/static/app/common.js', '/i18n/fr.json', '/api/models/compare']) {
      const res = await fetch(api.baseUrl + url, { headers: { 'accept-encoding': 'gzip, br', authorization: `Bearer ${api.fixture.tokens.analyst}` } });
      expect([url, res.headers.get('content-encoding')]).toEqual([url, expect.stringMatching(/^(gzip|br)$/)]);
      await res.arrayBuffer();
    }
  });

  test('/queues in embedded mode: a page saying why there is no queue, for IT only', async () => {
    const it = await call(api, 'GET', '/queues', { token: api.fixture.tokens.it });
    expect(it.status).toBe(200);
    expect(it.text).toContain('data-i18n="pipeline:queues.embedded"');
    expect((await call(api, 'GET', '/queues', { token: api.fixture.tokens.lead })).status).toBe(403);
  });

  test('pause and unpause (IT), the next scheduled run, runs labelled by their list date', async () => {
    const it = api.fixture.tokens.it;
    expect((await call(api, 'PUT', '/api/dags/nightly_call_list/paused', { token: api.fixture.tokens.lead, body: { paused: true } })).status).toBe(403);
    expect((await call(api, 'PUT', '/api/dags/no_such_dag/paused', { token: it, body: { paused: true } })).status).toBe(404);
    expect((await call(api, 'PUT', '/api/dags/nightly_call_list/paused', { token: it, body: { paused: true } })).json()).toEqual({ dagId: 'nightly_call_list', paused: true });
    const dag = ((await call(api, 'GET', '/api/dags', { token: it })).json() as { dagId: string; paused: boolean; nextRunAt: string; timezone: string }[]).find((d) => d.dagId === 'nightly_call_list')!;
    expect(dag.paused).toBe(true);
    expect(dag.timezone).toBe('Europe/Paris');
    // 02:00 in Paris is 01:00 or 00:00 UTC, within the next day.
    expect(new Date(dag.nextRunAt).getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(new Date(dag.nextRunAt))).toBe('02:00');
    await call(api, 'PUT', '/api/dags/nightly_call_list/paused', { token: it, body: { paused: false } });
    expect(((await call(api, 'GET', '/api/dags', { token: it })).json() as { dagId: string; paused: boolean }[]).find((d) => d.dagId === 'nightly_call_list')!.paused).toBe(false);

    const grid = (await call(api, 'GET', '/api/grid?dag=nightly_call_list', { token: it })).json() as { runs: { runId: string; listDate: string; dataIntervalEnd: string }[] };
    // The fixture's runs cover the day of their logical date: each produces the next day's list.
    for (const r of grid.runs) expect(r.listDate).toBe(new Date(Date.parse(r.dataIntervalEnd)).toISOString().slice(0, 10));
  });
});
