import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { ACCESS } from '../auth/roles';
import { principalOf } from '../auth/access';
import { setTokenLanguage } from '../auth/tokens';
import { LANGUAGE_COOKIE, LANGUAGES, catalogue, isLanguage, type Language } from '../i18n';
import type { ApiContext } from '../context';
import { packageRoot } from './pages';

/** d3's number and time formats of each language, for Vega charts (`formatLocale`, `timeFormatLocale`). */
function vegaLocale(lang: Language): { format: Record<string, unknown>; timeFormat: Record<string, unknown> } {
  const read = (pkg: string, file: string) => JSON.parse(readFileSync(path.join(packageRoot(pkg), 'locale', file), 'utf8')) as Record<string, unknown>;
  if (lang === 'fr') return { format: read('d3-format', 'fr-FR.json'), timeFormat: read('d3-time-format', 'fr-FR.json') };
  // The offices count in euros whatever the language of the page.
  return { format: { ...read('d3-format', 'en-GB.json'), currency: ['€', ''] }, timeFormat: read('d3-time-format', 'en-GB.json') };
}

const ONE_YEAR = 60 * 60 * 24 * 365;

/**
 * The message catalogues for the browser (`GET /i18n/<lang>.json`: every namespace merged), the
 * charts' number and date formats (`GET /i18n/<lang>/vega-locale.json`), and the signed-in
 * person's language preference (`PUT /api/me/language`).
 */
export function i18nRoutes(ctx: ApiContext): FastifyPluginAsync {
  const bodies = new Map(LANGUAGES.map((lang) => [lang, JSON.stringify(catalogue(lang))]));
  const vega = new Map(LANGUAGES.map((lang) => [lang, JSON.stringify(vegaLocale(lang))]));
  return async (app) => {
    app.get<{ Params: { file: string } }>('/i18n/:file', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const lang = request.params.file.replace(/\.json$/, '');
      if (!isLanguage(lang) || !request.params.file.endsWith('.json')) return reply.code(404).send({ error: 'not_found', message: `no catalogue ${request.params.file} (languages: ${LANGUAGES.join(', ')})` });
      return reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(bodies.get(lang));
    });
    app.get<{ Params: { lang: string } }>('/i18n/:lang/vega-locale.json', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const lang = request.params.lang;
      if (!isLanguage(lang)) return reply.code(404).send({ error: 'not_found', message: `no language ${lang}` });
      return reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=86400').send(vega.get(lang));
    });
    app.put<{ Body: { language: Language | null } }>(
      '/api/me/language',
      {
        config: { access: ACCESS.everyone },
        schema: {
          tags: ['access'],
          summary: "Sets the caller's preferred language (null: the office's locale); also sets the lang cookie",
          body: { type: 'object', properties: { language: { anyOf: [{ type: 'string', enum: [...LANGUAGES] }, { type: 'null' }] } }, required: ['language'], additionalProperties: false },
        },
      },
      async (request, reply) => {
        const { language } = request.body;
        await setTokenLanguage(ctx.db.knex, principalOf(request).tokenId, language);
        if (language === null) reply.clearCookie(LANGUAGE_COOKIE, { path: '/' });
        else reply.setCookie(LANGUAGE_COOKIE, language, { path: '/', sameSite: 'lax', maxAge: ONE_YEAR });
        return { language };
      },
    );
  };
}
