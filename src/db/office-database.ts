import knexFactory, { type Knex } from 'knex';

/** The drivers an office's case-management database can be read with. */
export type OfficeDatabaseClient = 'pg' | 'mysql2';

/**
 * Opens a knex connection (one at a time) to an office's own database that returns every value
 * as text, so that relance sees what the office stores. The caller destroys it.
 */
export function openOfficeDatabase(client: OfficeDatabaseClient, url: string): Knex {
  if (client === 'mysql2') {
    return knexFactory({ client: 'mysql2', connection: { uri: url, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true } as Knex.MySql2ConnectionConfig, pool: { min: 0, max: 1 } });
  }
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, types: { getTypeParser: () => (value: string) => value } } as unknown as Knex.PgConnectionConfig,
    pool: { min: 0, max: 1 },
  });
}
