import { Command, CommanderError } from 'commander';
import { processCliEnv, type CliEnv } from './cli-env';
import { synthCommand } from './commands/synth';
import { migrateCommand } from './commands/migrate';
import { trainCommand } from './commands/train';
import { modelsCommand } from './commands/models';
import { demoCommand } from './commands/demo';
import { callListCommand } from './commands/call-list';
import { dagsCommand } from './commands/dags';
import { runsCommand } from './commands/runs';
import { tasksCommand } from './commands/tasks';
import { schedulerCommand } from './commands/scheduler';
import { workerCommand } from './commands/worker';
import { serveCommand } from './commands/serve';
import { tokensCommand } from './commands/tokens';
import { requestsCommand } from './commands/requests';
import { vicidialSourceCommand } from './commands/vicidial-source';

/** The `relance` program with every command mounted. */
export function buildProgram(env: CliEnv = processCliEnv()): Command {
  const program = new Command('relance')
    .description('nightly ranked call lists for debt-collection offices')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(demoCommand(env));
  program.addCommand(synthCommand());
  program.addCommand(migrateCommand(env));
  program.addCommand(trainCommand(env));
  program.addCommand(modelsCommand(env));
  program.addCommand(callListCommand(env));
  program.addCommand(dagsCommand(env));
  program.addCommand(runsCommand(env));
  program.addCommand(tasksCommand(env));
  program.addCommand(schedulerCommand(env));
  program.addCommand(workerCommand(env));
  program.addCommand(serveCommand(env));
  program.addCommand(tokensCommand(env));
  program.addCommand(requestsCommand(env));
  program.addCommand(vicidialSourceCommand(env));
  return program;
}

/** Runs the command line; errors are printed by the caller (bin/relance.js). */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}
