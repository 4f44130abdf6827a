import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize, truthDirOf } from '../../src/synth';
import { tempDir } from './export-reader';

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

describe('synthesize determinism', () => {
  const root = tempDir('determinism');
  const run = (name: string, seed: number, horizonDays = 0) =>
    synthesize({ debtors: 400, seed, outDir: join(root, name), horizonDays });

  it('writes the same bytes for the same seed and options', async () => {
    await run('a', 11, 40);
    await run('b', 11, 40);
    const [a, b] = [filesOf(join(root, 'a')), filesOf(join(root, 'b'))];
    expect([...a.keys()]).toEqual(['appels.csv', 'debiteurs.csv', 'dossiers.csv', 'paiements.csv', 'promesses.csv', 'telephones.csv']);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer)).toBe(true);
    const [ta, tb] = [filesOf(truthDirOf(join(root, 'a'))), filesOf(truthDirOf(join(root, 'b')))];
    expect([...ta.keys()]).toEqual(['future_paiements.csv', 'ground_truth.csv', 'manifest.json', 'twins.csv', 'uplift.csv']);
    for (const [name, bytes] of ta) expect(bytes.equals(tb.get(name) as Buffer)).toBe(true);
  });

  it('writes different data for a different seed', async () => {
    await run('c', 12, 40);
    const [a, c] = [filesOf(join(root, 'a')), filesOf(join(root, 'c'))];
    for (const [name, bytes] of a) expect(bytes.equals(c.get(name) as Buffer)).toBe(false);
  });

  it('keeps the export and the truth unchanged when a horizon is added', async () => {
    await run('d', 11, 0);
    const [a, d] = [filesOf(join(root, 'a')), filesOf(join(root, 'd'))];
    for (const [name, bytes] of a) expect(bytes.equals(d.get(name) as Buffer)).toBe(true);
    const truth = (dir: string) => readFileSync(join(truthDirOf(join(root, dir)), 'ground_truth.csv'));
    expect(truth('a').equals(truth('d'))).toBe(true);
  });

  it("keeps a debtor's data independent of how many debtors are generated", async () => {
    await synthesize({ debtors: 150, seed: 11, outDir: join(root, 'e'), horizonDays: 40 });
    const truthLines = (dir: string) => readFileSync(join(truthDirOf(join(root, dir)), 'ground_truth.csv'), 'utf8').split('\n');
    expect(truthLines('e').slice(0, 151)).toEqual(truthLines('a').slice(0, 151));
    const debtorLines = (dir: string) => readFileSync(join(root, dir, 'debiteurs.csv'), 'utf8').split('\r\n').filter((l) => l.startsWith('D00001'));
    expect(debtorLines('e').slice(0, 20)).toEqual(debtorLines('a').slice(0, 20));
  });

  it('writes the same bytes with worker threads as inline', async () => {
    const debtors = 4500; // three blocks
    await synthesize({ debtors, seed: 5, outDir: join(root, 'inline'), horizonDays: 30, threads: 1 });
    await synthesize({ debtors, seed: 5, outDir: join(root, 'threads'), horizonDays: 30, threads: 2 });
    for (const dir of ['inline', 'threads'].map((d) => join(root, d))) expect(filesOf(dir).size).toBe(6);
    const [a, b] = [filesOf(join(root, 'inline')), filesOf(join(root, 'threads'))];
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer)).toBe(true);
    const [ta, tb] = [filesOf(truthDirOf(join(root, 'inline'))), filesOf(truthDirOf(join(root, 'threads')))];
    for (const [name, bytes] of ta) expect(bytes.equals(tb.get(name) as Buffer)).toBe(true);
  });
});
