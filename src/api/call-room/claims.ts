/**
 * Claims on the day's list: an agent asks for the next debtor and gets the best-ranked one that
 * nobody holds, atomically — the claim's primary key (list date, debtor) makes two agents
 * holding the same debtor impossible, and `for update skip locked` lets agents asking at the same
 * moment take different rows instead of waiting. An agent keeps a claim until an outcome is logged
 * or `claimMinutes` pass without one; then the debtor returns to the pool.
 */
import type { Knex } from 'knex';
import { runSql } from '../../db';
import type { CallAgent } from './record-outcome';

/** A claim held by an agent. */
export interface Claim {
  listDate: string;
  debtorId: string;
  agentId: string;
  expiresAt: string;
}

/** Options of {@link claimNext}. */
export interface ClaimOptions {
  listDate: string;
  agent: CallAgent;
  now: Date;
  /** How long an unworked claim holds. */
  claimMinutes: number;
  /** Only this team's part of the list. @defaultValue every team */
  teamId?: string;
}

const toClaim = (r: Record<string, unknown>): Claim => ({
  listDate: String(r.list_date instanceof Date ? r.list_date.toISOString().slice(0, 10) : r.list_date).slice(0, 10),
  debtorId: String(r.debtor_id),
  agentId: String(r.agent_id),
  expiresAt: new Date(r.expires_at as string).toISOString(),
});

/** The claim the agent holds now (live, not worked), if any. */
export async function heldClaim(knex: Knex, options: Pick<ClaimOptions, 'listDate' | 'agent' | 'now'>): Promise<Claim | undefined> {
  const row = await knex('dialer.claims')
    .where({ list_date: options.listDate, agent_id: options.agent.agentId })
    .whereNull('worked_at')
    .where('expires_at', '>', options.now)
    .orderBy('claimed_at')
    .first();
  return row ? toClaim(row) : undefined;
}

/**
 * The agent's current claim, or a new claim on the best-ranked free debtor of the list (its
 * expiry renewed either way); undefined when the list is worked out.
 */
export async function claimNext(knex: Knex, options: ClaimOptions): Promise<Claim | undefined> {
  const expiresAt = new Date(options.now.getTime() + options.claimMinutes * 60_000);
  const held = await heldClaim(knex, options);
  if (held) {
    await knex('dialer.claims').where({ list_date: held.listDate, debtor_id: held.debtorId, agent_id: options.agent.agentId }).update({ expires_at: expiresAt });
    return { ...held, expiresAt: expiresAt.toISOString() };
  }
  // A lost race (another agent committed a claim on the same row after our snapshot) returns no
  // row: try the next free debtor.
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const free = await knex.transaction(async (trx) => {
      const { rows } = await runSql<Record<string, unknown>>(trx, 'call-room/claim-next', {
        list_date: options.listDate,
        team_id: options.teamId ?? null,
        agent_id: options.agent.agentId,
        agent_name: options.agent.name,
        now: options.now,
        expires_at: expiresAt,
      });
      return rows;
    });
    if (free.length > 0) return toClaim(free[0] as Record<string, unknown>);
    const left = await runSql<{ n: number }>(knex, 'call-room/free-count', { list_date: options.listDate, team_id: options.teamId ?? null, now: options.now });
    if (Number(left.rows[0]?.n ?? 0) === 0) return undefined;
  }
  return undefined;
}

/** Gives a claim back before it expires (the agent skips the debtor). */
export async function releaseClaim(knex: Knex, options: { listDate: string; debtorId: string; agent: CallAgent }): Promise<boolean> {
  const n = await knex('dialer.claims').where({ list_date: options.listDate, debtor_id: options.debtorId, agent_id: options.agent.agentId }).whereNull('worked_at').delete();
  return n > 0;
}
