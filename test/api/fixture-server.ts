/**
 * Serves the API on a seeded test database (the same data as the API tests), for the load
 * benchmark and for looking at the dashboard by hand. Prints one JSON line with the address and a
 * token per role, then serves until killed.
 *   npx tsx bench/api/fixture-server.ts [--port 0] [--debtors 2000] [--postgres]
 */
import { compileConfig } from '../../src/config';
import { createLogger } from '../../src/core/log';
import { buildServer } from '../../src/api/server';
import { openDatabase, migrate } from '../../src/db';
import { seedApiDatabase } from '../../test/api/fixture';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const db = await openDatabase(process.argv.includes('--postgres') ? { url: process.env.DATABASE_URL, poolMax: 8 } : {});
  await migrate(db);
  const fixture = await seedApiDatabase(db, { n: Number(arg('debtors', '2000')) });
  const config = compileConfig({ dags: { nightly_call_list: { schedule: '0 2 * * *' } } });
  const log = createLogger({ level: (process.env.RELANCE_LOG_LEVEL as 'info') ?? 'warn' });
  const server = await buildServer({ db, config, log, scorer: fixture.scorer, defaultMetrics: false });
  await server.listen({ host: '127.0.0.1', port: Number(arg('port', '0')) });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  process.stdout.write(JSON.stringify({ url, tokens: fixture.tokens, listDate: fixture.listDate, debtorId: fixture.debtorIds[0], payload: fixture.payload }) + '\n');
  const stop = async () => {
    await server.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
