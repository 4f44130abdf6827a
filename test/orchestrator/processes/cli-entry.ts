/**
 * A `relance`-like process for tests: the orchestrator commands over the fixture DAGs, with the
 * database, Redis and prefix from the environment (FIXTURE_DATABASE_URL, FIXTURE_REDIS_URL,
 * FIXTURE_PREFIX, FIXTURE_APP). Run through tsx: `tsx cli-entry.ts worker`.
 */
import path from 'node:path';
import { Command } from 'commander';
import { compileConfig } from '../../../src/config';
import { createLogger } from '../../../src/core/log';
import { openDatabase } from '../../../src/db';
import { loadDagRegistry } from '../../../src/orchestrator';
import { dagsCommand, type DagCliEnv } from '../../../src/cli/commands/dags';
import { runsCommand } from '../../../src/cli/commands/runs';
import { tasksCommand } from '../../../src/cli/commands/tasks';
import { schedulerCommand } from '../../../src/cli/commands/scheduler';
import { workerCommand } from '../../../src/cli/commands/worker';
import type { FixtureResources } from '../../fixtures/dags/fixture-rows';

const env = process.env;
const config = compileConfig({ database: { url: env.FIXTURE_DATABASE_URL }, redis: { url: env.FIXTURE_REDIS_URL, prefix: env.FIXTURE_PREFIX }, orchestrator: { leaseMs: 1500 }, log: { level: 'info' } });
const cli: DagCliEnv<FixtureResources> = {
  config: () => config,
  registry: () => loadDagRegistry<FixtureResources>(path.resolve(__dirname, '../../fixtures/dags')),
  async openResources() {
    const db = await openDatabase({ url: env.FIXTURE_DATABASE_URL, poolMax: 4, applicationName: env.FIXTURE_APP ?? 'relance-fixture' });
    return { db, close: () => db.close() };
  },
  print: (line) => process.stdout.write(line + '\n'),
  logger: () => createLogger({ level: 'info' }),
};
const program = new Command('relance-fixture').exitOverride();
program.addCommand(dagsCommand(cli));
program.addCommand(runsCommand(cli));
program.addCommand(tasksCommand(cli));
program.addCommand(schedulerCommand(cli));
program.addCommand(workerCommand(cli, { lockDurationMs: 2000, stalledIntervalMs: 500 }));
program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`relance-fixture: ${error.message}\n`);
  process.exitCode = 1;
});
