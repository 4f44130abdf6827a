/**
 * Which real services the test run may use, as probed by scripts/test.js. Tests that need one use
 * `describeIfPostgres` / `describeIfRedis` / `describeIfMariadb`, so that a missing service skips
 * them (announced loudly by the runner) instead of failing.
 */
const flag = (name: string): boolean => process.env[name] !== '0';

export const services = {
  postgres: flag('RELANCE_TEST_POSTGRES'),
  redis: flag('RELANCE_TEST_REDIS'),
  mariadb: flag('RELANCE_TEST_MARIADB'),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  mariadbUrl: process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

export const describeIfPostgres = services.postgres ? describe : describe.skip;
export const describeIfRedis = services.redis ? describe : describe.skip;
export const describeIfPostgresAndRedis = services.postgres && services.redis ? describe : describe.skip;
export const describeIfMariadb = services.mariadb ? describe : describe.skip;
