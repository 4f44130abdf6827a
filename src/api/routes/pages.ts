import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../context';

/** Where the dashboard's HTML, scripts and styles live (served as they are: no build step). */
export const PAGES_DIR = path.resolve(__dirname, '..', 'pages');

/** The dashboard pages: a shell each, filled by its script from the API. */
export const PAGES = ['call-list', 'debtor', 'model', 'drift', 'pipeline', 'login'] as const;

/** Chart libraries served from node_modules (the dashboard never loads anything from outside). */
const VENDOR: Record<string, string> = {
  'vega.min.js': 'vega/build/vega.min.js',
  'vega-lite.min.js': 'vega-lite/build/vega-lite.min.js',
  'vega-embed.min.js': 'vega-embed/build/vega-embed.min.js',
};

const TYPES: Record<string, string> = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * The dashboard: page shells (public: they hold no data, their scripts call the API with the
 * person's token), the scripts and styles under /static, the chart libraries under /static/vendor.
 */
export function pageRoutes(_ctx: ApiContext): FastifyPluginAsync {
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
    for (const page of PAGES) {
      const url = page === 'debtor' ? '/debtor/:id' : `/${page}`;
      app.get(url, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
        reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-eval'; img-src 'self' data:; style-src 'self' 'unsafe-inline'").send(shells.get(page)),
      );
    }
    app.get<{ Params: { file: string } }>('/static/vendor/:file', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const rel = VENDOR[request.params.file];
      if (!rel) return reply.code(404).send({ error: 'not_found', message: 'no such file' });
      let body = vendor.get(rel);
      if (!body) {
        body = readFileSync(require.resolve(rel));
        vendor.set(rel, body);
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
