/**
 * API tokens: 32 random bytes (base64url), shown once when created; only their SHA-256 hash is
 * stored in `access.api_tokens`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { newId } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import { isRole, type Role } from './roles';

/** A token as stored (without its secret). */
export interface ApiToken {
  tokenId: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The holder's preferred language (`fr`, `en`), or null for the office's locale. */
  language: string | null;
}

/** Prefix of every token, so that secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'rlc_';

/** The hex SHA-256 of a token, the only form kept in the database. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token for `name` with `role`; the returned `token` is the only copy of the secret. */
export async function createApiToken(knex: Knex, input: { name: string; role: string }): Promise<{ token: string; tokenId: string; role: Role }> {
  if (!isRole(input.role)) throw new ValidationError(`role must be one of agent, lead, it, analyst (got ${JSON.stringify(input.role)})`, { context: { field: 'role' } });
  if (!input.name.trim()) throw new ValidationError('name must not be empty', { context: { field: 'name' } });
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const tokenId = newId();
  await knex('access.api_tokens').insert({ token_id: tokenId, name: input.name.trim(), role: input.role, token_hash: hashToken(token) });
  return { token, tokenId, role: input.role };
}

function fromRow(r: Record<string, unknown>): ApiToken {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return { tokenId: r.token_id as string, name: r.name as string, role: r.role as Role, createdAt: new Date(r.created_at as string), lastUsedAt: date(r.last_used_at), revokedAt: date(r.revoked_at), language: (r.language as string | null | undefined) ?? null };
}

/** The live (not revoked) token whose hash matches, or undefined. */
export async function findApiToken(knex: Knex, token: string): Promise<ApiToken | undefined> {
  const row = await knex('access.api_tokens').where({ token_hash: hashToken(token) }).whereNull('revoked_at').first();
  return row ? fromRow(row) : undefined;
}

/** Every token, newest first (no secrets: they are not stored). */
export async function listApiTokens(knex: Knex): Promise<ApiToken[]> {
  const rows = await knex('access.api_tokens').orderBy('created_at', 'desc');
  return rows.map(fromRow);
}

/** Revokes a token by id or name; returns how many were revoked. */
export async function revokeApiToken(knex: Knex, idOrName: string): Promise<number> {
  return knex('access.api_tokens')
    .where((q) => q.where({ token_id: idOrName }).orWhere({ name: idOrName }))
    .whereNull('revoked_at')
    .update({ revoked_at: knex.fn.now() });
}

/** Records that a token was used (at most once a minute per token, to spare the database). */
export async function touchApiToken(knex: Knex, tokenId: string): Promise<void> {
  await knex('access.api_tokens')
    .where({ token_id: tokenId })
    .where((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', knex.raw(`now() - interval '1 minute'`)))
    .update({ last_used_at: knex.fn.now() });
}

/** Sets (or clears, with null) the preferred language of a token's holder. */
export async function setTokenLanguage(knex: Knex, tokenId: string, language: string | null): Promise<void> {
  await knex('access.api_tokens').where({ token_id: tokenId }).update({ language });
}
