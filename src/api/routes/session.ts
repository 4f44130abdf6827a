import type { FastifyPluginAsync } from 'fastify';
import { ACCESS } from '../auth/roles';
import { principalOf } from '../auth/access';
import type { ApiContext } from '../context';
import { resolveLanguage } from '../i18n';
import { tokenLanguage } from '../auth/tokens';

/** `GET /api/me`: who the token belongs to, so that the dashboard shows the pages of that role. */
export function sessionRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/me', { config: { access: ACCESS.everyone }, schema: { tags: ['access'], summary: "The caller's name, role, preferred language and the language of this request" } }, async (request) => {
      const p = principalOf(request);
      // Read now, not from the access check's cache: the page asks right after changing it.
      const language = await tokenLanguage(ctx.db.knex, p.tokenId);
      return { name: p.name, role: p.role, language, lang: resolveLanguage(request, { preference: language }) };
    });
  };
}
