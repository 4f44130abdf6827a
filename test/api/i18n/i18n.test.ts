/**
 * The message catalogues: French and English hold the same keys, placeholders and plural forms;
 * `t` reads both key spellings; a request's language follows ?lang=, the cookie, the person's
 * preference, the office's locale, then French.
 */
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { LANGUAGES, catalogue, normaliseKey, resolveLanguage, t } from '../../../src/api/i18n';

function leaves(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') out.set(prefix, node);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const fr = leaves(catalogue('fr'));
  const en = leaves(catalogue('en'));

  test('French and English have the same keys and the same placeholders', () => {
    expect([...en.keys()].sort()).toEqual([...fr.keys()].sort());
    for (const [key, text] of fr) expect([key, placeholders(en.get(key) ?? '')]).toEqual([key, placeholders(text)]);
  });

  test('no French message is left empty', () => {
    expect([...fr].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  test('t fills placeholders in each language and reads ns.key like ns:key', () => {
    expect(t('fr', 'common:errors.http', { status: 502 })).toBe('Erreur du serveur (HTTP 502).');
    expect(t('en', 'common:errors.http', { status: 502 })).toBe('Server error (HTTP 502).');
    expect(normaliseKey('common.nav.call_list')).toBe('common:nav.call_list');
    expect(t('fr', 'common.nav.call_list')).toBe("Liste d'appels");
    expect(normaliseKey('not_a_namespace.key')).toBe('not_a_namespace.key');
  });

  test('a message missing in English falls back to French, an unknown key to itself', () => {
    expect(t('en', 'common:no.such.key')).toBe('no.such.key');
    expect(LANGUAGES).toEqual(['fr', 'en']);
  });
});

describe('resolveLanguage', () => {
  async function languageOf(url: string, headers: Record<string, string> = {}, officeLocale?: string, preference?: string | null): Promise<string> {
    const app = Fastify();
    await app.register(cookie);
    if (officeLocale) app.decorate('officeLocale', officeLocale);
    app.get('/x', async (request) => ({ lang: resolveLanguage(request, { preference }) }));
    // Over a real socket: light-my-request's injection does not load under jest.
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(base + url, { headers });
      return ((await res.json()) as { lang: string }).lang;
    } finally {
      await app.close();
    }
  }

  test('?lang wins over the cookie, the cookie over the preference, the preference over the office', async () => {
    expect(await languageOf('/x?lang=en', { cookie: 'lang=fr' }, 'fr-FR', 'fr')).toBe('en');
    expect(await languageOf('/x', { cookie: 'lang=en' }, 'fr-FR', 'fr')).toBe('en');
    expect(await languageOf('/x', {}, 'fr-FR', 'en')).toBe('en');
    expect(await languageOf('/x', {}, 'en-GB', null)).toBe('en');
    expect(await languageOf('/x')).toBe('fr');
  });

  test('unknown languages are ignored, never echoed', async () => {
    expect(await languageOf('/x?lang=de', { cookie: 'lang=<script>' }, 'de-DE', 'xx')).toBe('fr');
  });
});
