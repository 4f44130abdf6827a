import { ROLES } from '../../src/api/auth/roles';
import { services } from '../helpers/services';
import { openTestApi, call, type TestApi } from './api-server';

/** Public routes: they hold no data. Anything else must need a token. */
const PUBLIC = ['/healthz', '/', '/favicon.ico', '/call-list', '/debtor/:id', '/model', '/drift', '/pipeline', '/login', '/static/vendor/:file', '/static/app/:file', '/lead', '/call-list/print', '/i18n/:file', '/i18n/:lang/vega-locale.json', '/my-calls'];

let api: TestApi;
beforeAll(async () => {
  // Access is engine-agnostic: Postgres when it is there (a template clone is quicker than a PGlite migration).
  api = await openTestApi({ engine: services.postgres ? 'postgres' : 'pglite' });
});
afterAll(async () => api?.close());

function concreteUrl(url: string): string {
  const f = api.fixture;
  return url
    .replace(':date', f.listDate)
    .replace(':id', f.debtorIds[0]!)
    .replace(':runId', 'nightly_call_list__2026-11-22')
    .replace(':taskId', 'score')
    .replace(':versionId', 'champion')
    .replace(':reportId', 'latest')
    .replace(':dagId', 'nightly_call_list')
    .replace(':file', 'vega.min.js')
    .replace(':file', 'app.css');
}

const routes = () => api.server.registeredRoutes.filter((r) => r.method !== 'HEAD');

describe('access', () => {
  test('every route declares its access and only data-free routes are public', () => {
    const publicRoutes = routes().filter((r) => r.access === 'public' && !r.url.startsWith('/docs'));
    expect(publicRoutes.map((r) => r.url).sort()).toEqual([...PUBLIC].sort());
    expect(routes().filter((r) => r.access !== 'public').length).toBeGreaterThan(15);
  });

  test('every protected route answers 401 without a token and with an unknown one', async () => {
    for (const route of routes().filter((r) => r.access !== 'public')) {
      const url = concreteUrl(route.url);
      const none = await call(api, route.method, url);
      expect([route.method, route.url, none.status]).toEqual([route.method, route.url, 401]);
      const unknown = await call(api, route.method, url, { token: 'rlc_not-a-token' });
      expect([route.method, route.url, unknown.status]).toEqual([route.method, route.url, 401]);
    }
  });

  test('every protected route answers 403 to each role it does not allow, and lets its roles through', async () => {
    let forbiddenChecked = 0;
    for (const route of routes()) {
      if (route.access === 'public') continue;
      const url = concreteUrl(route.url);
      for (const role of ROLES) {
        const res = await call(api, route.method, url, { token: api.fixture.tokens[role], body: route.method === 'POST' ? {} : undefined });
        if (route.access.roles.includes(role)) {
          expect([route.url, role, res.status]).not.toEqual([route.url, role, 403]);
          expect([route.url, role, res.status]).not.toEqual([route.url, role, 401]);
        } else {
          expect([route.method, route.url, role, res.status]).toEqual([route.method, route.url, role, 403]);
          forbiddenChecked++;
        }
      }
    }
    expect(forbiddenChecked).toBeGreaterThan(10);
  });

  test('the dashboard cookie is accepted like a bearer token', async () => {
    const res = await call(api, 'GET', '/api/dags', { headers: { cookie: `other=1; relance_token=${encodeURIComponent(api.fixture.tokens.it)}` } });
    expect(res.status).toBe(200);
  });

  test('a revoked token is refused once the cache no longer holds it', async () => {
    const { createApiToken, revokeApiToken, findApiToken } = await import('../../src/api/auth/tokens');
    const { token } = await createApiToken(api.database.db.knex, { name: 'short-lived', role: 'analyst' });
    expect(await findApiToken(api.database.db.knex, token)).toBeDefined();
    expect(await revokeApiToken(api.database.db.knex, 'short-lived')).toBe(1);
    expect(await findApiToken(api.database.db.knex, token)).toBeUndefined();
    const stored = await api.database.db.knex('access.api_tokens').where({ name: 'short-lived' }).first();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
  });
});
