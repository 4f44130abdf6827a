import { Command } from 'commander';
import { stringify } from 'yaml';
import { ValidationError } from '../../core/errors';
import { vicidialOutcomesSource, type OfficeOutcome, type VicidialOutcomesOptions } from '../../ranking/vicidial-outcomes';
import type { CliEnv } from '../cli-env';

const OUTCOMES: readonly string[] = ['NRP', 'OCC', 'FNUM', 'PROM', 'OPP', 'REF', 'CTC'];

/** Parses `OPP=DNC,DNCL` options into statuses per office outcome. */
export function parseStatusOptions(values: readonly string[]): Partial<Record<OfficeOutcome, string[]>> {
  const out: Partial<Record<OfficeOutcome, string[]>> = {};
  for (const value of values) {
    const [outcome, statuses] = value.split('=', 2);
    if (!outcome || statuses === undefined || !OUTCOMES.includes(outcome)) {
      throw new ValidationError(`--status must be OUTCOME=STATUS,STATUS with OUTCOME one of ${OUTCOMES.join(', ')} (got ${value})`, { context: { field: 'status' } });
    }
    out[outcome as OfficeOutcome] = statuses.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return out;
}

/**
 * `relance vicidial-source`: prints the `sources:` entry (YAML) that pulls VICIdial's call
 * outcomes back in, with its statuses per office outcome and the custom fields of promises.
 */
export function vicidialSourceCommand(env: Pick<CliEnv, 'print'>): Command {
  return new Command('vicidial-source')
    .description("print the sources: entry (YAML) pulling VICIdial's call outcomes, do-not-call requests and promises")
    .option('--name <name>', 'source name', 'vicidial_outcomes')
    .option('--url <url>', 'VICIdial database URL (environment variables are expanded when the config is read)', '${VICIDIAL_DB_URL}')
    .option('--status <OUTCOME=STATUS,…>', 'VICIdial statuses of an office outcome (NRP, OCC, FNUM, PROM, OPP, REF, CTC), replacing its defaults; repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--promise-fields <table:amount:due>', "custom fields table and columns of a promise's amount and due date (custom_<listId>:amount:due)")
    .action((opts: { name: string; url: string; status: string[]; promiseFields?: string }) => {
      const options: VicidialOutcomesOptions = { statuses: parseStatusOptions(opts.status) };
      if (opts.promiseFields) {
        const [table, amount, dueOn] = opts.promiseFields.split(':');
        if (!table || !amount || !dueOn) throw new ValidationError('--promise-fields must be table:amount:due', { context: { field: 'promise-fields' } });
        options.promiseFields = { table, amount, dueOn };
      }
      const source = vicidialOutcomesSource({ name: opts.name, url: opts.url, ...options });
      env.print(stringify({ sources: [source] }, { lineWidth: 0 }).trimEnd());
    });
}
