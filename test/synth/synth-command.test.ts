import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { synthCommand } from '../../src/cli/commands/synth';
import { readTruth, tempDir } from './export-reader';

describe('relance synth', () => {
  const root = tempDir('cli');

  it('writes the export and its truth with the options given', async () => {
    const printed: string[] = [];
    const progress: string[] = [];
    const out = join(root, 'office');
    await synthCommand({ print: (l) => printed.push(l), progress: (t) => progress.push(t) }).parseAsync(
      ['--debtors', '300', '--seed', '4', '--out', out, '--as-of', '2026-06-30', '--offices', '2', '--shift', 'bigger-debts', '--horizon-days', '31'],
      { from: 'user' },
    );
    expect(existsSync(join(out, 'debiteurs.csv'))).toBe(true);
    expect(existsSync(join(out + '-truth', 'future_paiements.csv'))).toBe(true);
    const truth = readTruth(out + '-truth');
    expect(truth.size).toBe(300);
    expect(new Set([...truth.values()].map((t) => t.office))).toEqual(new Set(['ETU01', 'ETU02']));
    expect(progress.some((p) => p.includes('300/300'))).toBe(true);
    expect(printed[0]).toMatch(/^wrote 300 debtors, \d+ rows/);
  });

  it('refuses a non-numeric debtor count', async () => {
    const command = synthCommand({ print: () => undefined, progress: () => undefined }).exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(command.parseAsync(['--debtors', 'many', '--seed', '1', '--out', join(root, 'x')], { from: 'user' })).rejects.toThrow(/--debtors must be a non-negative integer/);
  });

  it('refuses an impossible export date, naming the field', async () => {
    const command = synthCommand({ print: () => undefined, progress: () => undefined });
    await expect(command.parseAsync(['--debtors', '3', '--seed', '1', '--out', join(root, 'y'), '--as-of', '2026-02-31'], { from: 'user' }))
      .rejects.toMatchObject({ name: 'ValidationError', context: { field: 'asOf' } });
  });
});
