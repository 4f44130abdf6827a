import type { FastifyPluginAsync } from 'fastify';
import { ACCESS } from '../auth/roles';
import { principalOf } from '../auth/access';
import type { ApiContext } from '../context';
import { resolveLanguage } from '../i18n';

/** `GET /api/me`: who the token belongs to, so that the dashboard shows the pages of that role. */
export function sessionRoutes(_ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/me', { config: { access: ACCESS.everyone }, schema: { tags: ['access'], summary: "The caller's name, role, preferred language and the language of this request" } }, async (request) => {
      const p = principalOf(request);
      return { name: p.name, role: p.role, language: p.language, lang: resolveLanguage(request) };
    });
  };
}
