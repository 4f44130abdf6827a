/**
 * Roles of API tokens and the access a route declares. Every route states who may call it; a
 * route that states nothing is refused when it is registered.
 */

/** The roles a token can hold. */
export const ROLES = ['agent', 'lead', 'it', 'analyst'] as const;

/** A token's role: call agents, their lead, the IT team, analysts. */
export type Role = (typeof ROLES)[number];

/**
 * What a route declares in its `config.access`: the roles allowed, or `public` for the few routes
 * that hold no data (health check, page shells, static assets, the OpenAPI document).
 */
export type RouteAccess = { roles: readonly Role[] } | 'public';

/** Roles that see debtors' phone numbers in clear (the people who call). */
export const PHONE_ROLES: readonly Role[] = ['agent', 'lead'];

/** Common role sets, so that routes read as policy. */
export const ACCESS = {
  everyone: { roles: ['agent', 'lead', 'it', 'analyst'] },
  staff: { roles: ['lead', 'it', 'analyst'] },
  operations: { roles: ['lead', 'it'] },
  itOnly: { roles: ['it'] },
} as const satisfies Record<string, RouteAccess>;

/** True for a known role name. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Masks a phone number for a role that does not call: `+33612345678` → `+33 6•• •• •• 78`. */
export function maskPhone(phone: string | null | undefined, role: Role): string | null {
  if (phone === null || phone === undefined) return null;
  if (PHONE_ROLES.includes(role)) return phone;
  if (phone.length <= 4) return '••••';
  return phone.slice(0, 3) + '•'.repeat(Math.max(0, phone.length - 5)) + phone.slice(-2);
}
