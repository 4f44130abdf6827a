import { Command } from 'commander';
import { createApiToken, listApiTokens, revokeApiToken } from '../../api/auth/tokens';
import { ROLES } from '../../api/auth/roles';
import { formatTable } from '../format-table';
import { withResources, type CliEnv } from '../cli-env';

/** `relance tokens create | list | revoke`: API tokens and their roles (only their hashes are stored). */
export function tokensCommand(env: CliEnv): Command {
  const tokens = new Command('tokens').description(`API tokens for the dashboard and the API (roles: ${ROLES.join(', ')})`);

  tokens
    .command('create')
    .description('create a token; it is printed once and never stored in clear')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--name <name>', 'who or what holds it (a person, "prometheus", ...)')
    .action((opts: { role: string; name: string }) =>
      withResources(env, async ({ db }) => {
        const { token, tokenId, role } = await createApiToken(db.knex, { name: opts.name, role: opts.role });
        env.print(`token ${tokenId} for ${opts.name} (role ${role}) — copy it now, it is not shown again:`);
        env.print(token);
      }),
    );

  tokens
    .command('list')
    .description('every token: holder, role, last use, revocation')
    .action(() =>
      withResources(env, async ({ db }) => {
        const rows = await listApiTokens(db.knex);
        const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');
        env.print(
          formatTable(rows, [
            { header: 'id', value: (t) => t.tokenId },
            { header: 'name', value: (t) => t.name },
            { header: 'role', value: (t) => t.role },
            { header: 'created', value: (t) => when(t.createdAt) },
            { header: 'last used', value: (t) => when(t.lastUsedAt) },
            { header: 'revoked', value: (t) => when(t.revokedAt) },
          ]),
        );
      }),
    );

  tokens
    .command('revoke <idOrName>')
    .description('revoke a token by id, or every live token of a holder by name (a running API honours it within 30 s)')
    .action((idOrName: string) =>
      withResources(env, async ({ db }) => {
        const n = await revokeApiToken(db.knex, idOrName);
        env.print(n === 0 ? `no live token matches ${idOrName}` : `revoked ${n} token${n > 1 ? 's' : ''}`);
      }),
    );

  return tokens;
}
