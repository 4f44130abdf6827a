/**
 * The statuses that mean a promise or a do-not-call request are the office's to configure: the
 * printed `sources:` entry is valid configuration and carries them into the query.
 */
import { Command } from 'commander';
import { parse } from 'yaml';
import { compileConfig } from '../../src/config';
import { vicidialSourceCommand } from '../../src/cli/commands/vicidial-source';
import { vicidialOutcomesQuery, vicidialStatuses } from '../../src/ranking/vicidial-outcomes';

async function printed(...args: string[]): Promise<string> {
  const out: string[] = [];
  const program = new Command('relance').exitOverride();
  program.addCommand(vicidialSourceCommand({ print: (line) => void out.push(line) }));
  await program.parseAsync(['node', 'relance', 'vicidial-source', ...args]);
  return out.join('\n');
}

describe('VICIdial outcomes source', () => {
  it('maps DNC and DNCL to do-not-call requests and PTP to promises by default', () => {
    const query = vicidialOutcomesQuery();
    expect(query).toContain("WHEN vl.status IN ('DNC', 'DNCL') THEN 'OPP'");
    expect(query).toContain("WHEN vl.status IN ('PTP', 'PROM', 'SALE') THEN 'PROM'");
    expect(query).not.toMatch(/'DNC'[^\n]*THEN 'REF'/);
    expect(query).toContain('NULL AS promise_amount');
  });

  it('prints a valid sources: entry with the configured statuses and promise fields', async () => {
    const yaml = await printed('--status', 'OPP=DNC,DNCL,STOP', '--status', 'PROM=PTP,PAP', '--promise-fields', 'custom_1001:montant_promis:date_echeance');
    const config = compileConfig({ sources: (parse(yaml) as { sources: unknown[] }).sources });
    const source = config.sources[0];
    if (source?.kind !== 'sql') throw new Error('expected a sql source');
    const query = source.tables[0]!.query!;
    expect(query).toBe(vicidialOutcomesQuery({ statuses: { OPP: ['DNC', 'DNCL', 'STOP'], PROM: ['PTP', 'PAP'] }, promiseFields: { table: 'custom_1001', amount: 'montant_promis', dueOn: 'date_echeance' } }));
    expect(query).toContain("WHEN vl.status IN ('DNC', 'DNCL', 'STOP') THEN 'OPP'");
    expect(query).toContain('LEFT JOIN `custom_1001` cf ON cf.lead_id = vl.lead_id');
    expect(source.tables[0]!.columns).toMatchObject({ promise_amount: 'promise_amount', promise_due_on: 'promise_due_on' });
  });

  it('rejects a status mapped to two outcomes, and names that could inject SQL', async () => {
    expect(() => vicidialStatuses({ REF: ['NI', 'DNC'] })).toThrow(/DNC maps to both OPP and REF|DNC maps to both REF and OPP/);
    expect(() => vicidialStatuses({ OPP: ["DNC') OR 1=1 --"] })).toThrow(/not a status name/);
    expect(() => vicidialOutcomesQuery({ promiseFields: { table: 'custom_1001; DROP TABLE x', amount: 'a', dueOn: 'b' } })).toThrow(/not a table or column name/);
    await expect(printed('--status', 'XYZ=DNC')).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
