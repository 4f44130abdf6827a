/**
 * One access check for every route. Each route declares `config.access` (roles, or `public`); a
 * route that declares nothing makes registration fail. A request carries its token as
 * `Authorization: Bearer <token>` or, for the dashboard's own pages, the `relance_token` cookie.
 * No token (or an unknown one) is a 401; a token whose role the route does not allow is a 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from '../../core/log';
import { findApiToken, hashToken, touchApiToken } from './tokens';
import type { Role, RouteAccess } from './roles';

/** Who is calling, once the token is checked. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** The holder's preferred language, or null for the office's locale. */
  language: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; required on every route. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller, set by the access hook on non-public routes. */
    principal: Principal | null;
  }
}

/** A registered route and what it allows; the tests walk this list. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

/** Options of {@link installAccess}. */
export interface AccessOptions {
  knex: Knex;
  log: Logger;
  /**
   * Access of routes registered by third-party plugins (bull-board, swagger, static files), by URL
   * prefix; those plugins cannot take our route config.
   */
  prefixes?: readonly { prefix: string; access: RouteAccess }[];
  /** How long a checked token is trusted before it is looked up again. @defaultValue 30000 */
  cacheMs?: number;
}

/** The cookie the dashboard sets after sign-in. */
export const TOKEN_COOKIE = 'relance_token';

/** The token of a request: bearer header first, then the dashboard cookie. */
export function requestToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1];
  }
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}

/**
 * Installs the route-declaration check and the request check on `app`; returns the list of
 * registered routes with their access (filled as routes register).
 */
export function installAccess(app: FastifyInstance, options: AccessOptions): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const cache = new Map<string, { principal: Principal; until: number }>();
  const cacheMs = options.cacheMs ?? 30_000;

  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const declared = route.config?.access ?? options.prefixes?.find((p) => route.url.startsWith(p.prefix))?.access;
    if (!declared) throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
    route.config = { ...route.config, access: declared };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) routes.push({ method: String(method), url: route.url, access: declared });
  });

  const lookup = async (token: string): Promise<Principal | undefined> => {
    const key = hashToken(token);
    const hit = cache.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.principal;
    const found = await findApiToken(options.knex, token);
    if (!found) {
      cache.delete(key);
      return undefined;
    }
    const principal: Principal = { tokenId: found.tokenId, name: found.name, role: found.role, language: found.language };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { principal, until: now + cacheMs });
    touchApiToken(options.knex, found.tokenId).catch((error: unknown) => options.log.warn('could not record token use', { error }));
    return principal;
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    // Unknown URLs have no route config: let the 404 handler answer.
    if (access === undefined || access === 'public') return;
    const token = requestToken(request);
    if (!token) return deny(reply, 401, 'a token is required: Authorization: Bearer <token>');
    const principal = await lookup(token);
    if (!principal) return deny(reply, 401, 'unknown or revoked token');
    if (!access.roles.includes(principal.role)) return deny(reply, 403, `role ${principal.role} may not use this route (allowed: ${access.roles.join(', ')})`);
    request.principal = principal;
  });

  return routes;
}


function deny(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).send({ error: status === 401 ? 'unauthorized' : 'forbidden', message });
}

/** The caller's principal on a route that required a role (throws if the hook did not run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`no principal on ${request.routeOptions.url}: the route is public`);
  return request.principal;
}
