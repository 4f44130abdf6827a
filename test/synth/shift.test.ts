import { join } from 'node:path';
import { synthesize, truthDirOf } from '../../src/synth';
import { parseAmount, parseDate, readRows, readTruth, tempDir } from './export-reader';

interface Summary {
  meanAge: number;
  ageSd: number;
  meanPrincipal: number;
  meanP: number;
  n: number;
}

async function summarise(root: string, name: string, seed: number, shift?: string): Promise<Summary> {
  const out = join(root, name);
  await synthesize({ debtors: 2000, seed, outDir: out, ...(shift ? { shift } : {}) });
  const asOf = Date.UTC(2026, 10, 24);
  const ages = readRows(join(out, 'debiteurs.csv'))
    .map((r) => parseDate(r.date_naissance as string))
    .filter((d): d is Date => d !== null)
    .map((d) => (asOf - d.getTime()) / (365.25 * 86_400_000));
  const principals = readRows(join(out, 'dossiers.csv')).map((r) => parseAmount(r.montant_principal as string)).filter((a): a is number => a !== null);
  const truth = [...readTruth(truthDirOf(out)).values()];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanAge = mean(ages);
  return {
    meanAge, ageSd: Math.sqrt(mean(ages.map((a) => (a - meanAge) ** 2))), n: ages.length,
    meanPrincipal: mean(principals), meanP: mean(truth.map((t) => t.p)),
  };
}

describe('population shift', () => {
  const root = tempDir('shift');
  let base: Summary;
  let otherSeed: Summary;
  let shifted: Summary;
  beforeAll(async () => {
    base = await summarise(root, 'base', 1);
    otherSeed = await summarise(root, 'other', 2);
    shifted = await summarise(root, 'shifted', 1, 'younger-poorer');
  });

  it('draws the same distributions for two seeds without shift', () => {
    const se = base.ageSd * Math.sqrt(2 / base.n);
    expect(Math.abs(base.meanAge - otherSeed.meanAge)).toBeLessThan(4 * se);
    expect(Math.abs(base.meanPrincipal / otherSeed.meanPrincipal - 1)).toBeLessThan(0.15);
    expect(Math.abs(base.meanP - otherSeed.meanP)).toBeLessThan(0.02);
  });

  it('makes younger-poorer debtors younger, with bigger debts and lower payment probabilities', () => {
    expect(shifted.meanAge - base.meanAge).toBeLessThan(-5);
    expect(shifted.meanPrincipal / base.meanPrincipal).toBeGreaterThan(1.15);
    expect(shifted.meanP).toBeLessThan(base.meanP - 0.02);
  });

  it('rejects an unknown shift, naming the field', async () => {
    await expect(synthesize({ debtors: 5, seed: 1, outDir: join(root, 'bad'), shift: 'older' })).rejects.toMatchObject({
      name: 'ValidationError', context: { field: 'shift' },
    });
  });
});
