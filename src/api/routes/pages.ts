import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../context';
import { requestToken } from '../auth/access';
import { ACCESS } from '../auth/roles';
import { findApiToken } from '../auth/tokens';
import { LANGUAGE_COOKIE, LOCALES, isLanguage, resolveLanguage, type Language } from '../i18n';

/** Where the dashboard's HTML, scripts and styles live (served as they are: no build step). */
export const PAGES_DIR = path.resolve(__dirname, '..', 'pages');

/** The dashboard pages: a shell each, filled by its script from the API. */
export const PAGES = ['call-list', 'debtor', 'model', 'drift', 'pipeline', 'login', 'lead', 'call-list-print', 'queues', 'my-calls'] as const;

/** Pages whose address is not `/<page>`. */
const PAGE_URLS: Partial<Record<(typeof PAGES)[number], string>> = { debtor: '/debtor/:id', 'call-list-print': '/call-list/print' };

/** Chart libraries served from node_modules (the dashboard never loads anything from outside). */
const VENDOR: Record<string, [pkg: string, file: string]> = {
  'vega.min.js': ['vega', 'build/vega.min.js'],
  'vega-lite.min.js': ['vega-lite', 'build/vega-lite.min.js'],
  'vega-embed.min.js': ['vega-embed', 'build/vega-embed.min.js'],
  'i18next.min.js': ['i18next', 'dist/umd/i18next.min.js'],
};

/**
 * A page shell in a language: `<html lang>`, the locale and the office's time zone for the
 * formats of common.js, and i18next loaded before common.js (which fills `data-i18n` elements).
 */
export function localiseShell(html: string, lang: Language, timeZone: string): string {
  return html
    .replace(/<html[^>]*>/, `<html lang="${lang}" data-locale="${LOCALES[lang]}" data-time-zone="${timeZone}">`)
    .replace('<script src="/static/app/common.js"', '<script src="/static/vendor/i18next.min.js" defer></script>\n<script src="/static/app/common.js"');
}

/** The folder of an installed package (its `exports` hide the build files from require.resolve). */
export function packageRoot(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  while (!existsSync(path.join(dir, 'package.json')) || (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== pkg) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${pkg}`);
    dir = up;
  }
  return dir;
}

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0072B2"/><path d="M4 12V4h4.5a2.5 2.5 0 0 1 0 5H4m4 0 3 3" stroke="#fff" stroke-width="1.6" fill="none"/></svg>';

const TYPES: Record<string, string> = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * The dashboard: page shells (public: they hold no data, their scripts call the API with the
 * person's token), the scripts and styles under /static, the chart libraries under /static/vendor.
 */
export function pageRoutes(ctx: ApiContext): FastifyPluginAsync {
  const shells = new Map(PAGES.map((p) => [p, readFileSync(path.join(PAGES_DIR, `${p}.html`), 'utf8')]));
  const vendor = new Map<string, Buffer>();
  // The page scripts and styles, read once: a fixed set of names, so no path ever reaches the disk.
  const assets = new Map(
    readdirSync(PAGES_DIR)
      .filter((f) => /\.(js|css|svg)$/.test(f))
      .map((f) => [f, { body: readFileSync(path.join(PAGES_DIR, f)), type: TYPES[path.extname(f)] as string }]),
  );
  return async (app) => {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/call-list'));
    app.get('/favicon.ico', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON));
    for (const page of PAGES) {
      // The queues are bull-board's when the API has Redis; in embedded mode (no Redis) /queues says why there are none.
      if (page === 'queues' && ctx.redis) continue;
      const url = PAGE_URLS[page] ?? `/${page}`;
      app.get<{ Querystring: { lang?: string } }>(url, { config: { access: page === 'queues' ? ACCESS.itOnly : 'public' }, schema: { hide: true } }, async (request, reply) => {
        const chosen = request.query.lang;
        if (isLanguage(chosen)) reply.setCookie(LANGUAGE_COOKIE, chosen, { path: '/', sameSite: 'lax', maxAge: 60 * 60 * 24 * 365 });
        // The page shell is public: the signed-in person's preference comes from their token, when there is one.
        const token = isLanguage(chosen) || isLanguage(request.cookies?.[LANGUAGE_COOKIE]) ? undefined : requestToken(request);
        const preference = token ? ((await findApiToken(ctx.db.knex, token))?.language ?? null) : null;
        const lang = resolveLanguage(request, { preference });
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-eval'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
          .send(localiseShell(shells.get(page) as string, lang, ctx.config.timezone));
      });
    }
    app.get<{ Params: { file: string } }>('/static/vendor/:file', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const entry = VENDOR[request.params.file];
      if (!entry) return reply.code(404).send({ error: 'not_found', message: 'no such file' });
      let body = vendor.get(request.params.file);
      if (!body) {
        body = readFileSync(path.join(packageRoot(entry[0]), entry[1]));
        vendor.set(request.params.file, body);
      }
      return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(body);
    });
    app.get<{ Params: { file: string } }>('/static/app/:file', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) return reply.code(404).send({ error: 'not_found', message: 'no such file' });
      return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
    });
  };
}
