import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize, truthDirOf, type SynthManifest } from '../../src/synth';
import { dataLines, parseAmount, parseDate, readText, splitCsvLine, tempDir } from './export-reader';

/** The export files and their headers, read from the data contract itself. */
function contractHeaders(): Map<string, string> {
  const doc = readFileSync(join(__dirname, '../../docs/data-contract.md'), 'utf8');
  const headers = new Map<string, string>();
  for (const m of doc.matchAll(/^\| `([a-z_]+\.csv)` \| `([^`]+)` \|$/gm)) headers.set(m[1] as string, m[2] as string);
  return headers;
}

const KEY_COLUMN: Record<string, string> = {
  'debiteurs.csv': 'id_debiteur', 'dossiers.csv': 'id_dossier', 'paiements.csv': 'id_paiement',
  'appels.csv': 'id_appel', 'promesses.csv': 'id_promesse', 'telephones.csv': 'id_debiteur',
};
const AMOUNT_COLUMN: Record<string, string> = { 'dossiers.csv': 'montant_principal', 'paiements.csv': 'montant', 'promesses.csv': 'montant_promis' };
const DATE_COLUMN: Record<string, string> = {
  'debiteurs.csv': 'date_naissance', 'dossiers.csv': 'date_ouverture', 'paiements.csv': 'date_paiement',
  'appels.csv': 'date_heure_appel', 'promesses.csv': 'date_promesse', 'telephones.csv': 'date_ajout',
};

/** Classifies every data row the way a loader would, independently of the generator. */
function classify(file: string, header: string, lines: string[]) {
  const columns = header.split(';');
  const seen = new Set<string>();
  const counts = { valid: 0, duplicates: 0, broken: {} as Record<string, number> };
  const broken = (kind: string) => (counts.broken[kind] = (counts.broken[kind] ?? 0) + 1);
  for (const line of lines) {
    const fields = splitCsvLine(line);
    expect(fields).not.toBeNull();
    if (seen.has(line)) {
      counts.duplicates++;
      continue;
    }
    seen.add(line);
    if (fields!.length !== columns.length) {
      broken('wrong_field_count');
      continue;
    }
    const row = Object.fromEntries(columns.map((c, i) => [c, fields![i] as string]));
    if (row[KEY_COLUMN[file] as string] === '') broken('missing_key');
    else if (parseDate(row[DATE_COLUMN[file] as string] as string) === null) broken('impossible_date');
    else if (AMOUNT_COLUMN[file] && parseAmount(row[AMOUNT_COLUMN[file]] as string) === null) broken('non_numeric_amount');
    else counts.valid++;
  }
  return counts;
}

describe('synthetic exports follow the data contract', () => {
  const out = join(tempDir('contract'), 'export');
  let manifest: SynthManifest;
  beforeAll(async () => {
    manifest = (await synthesize({ debtors: 1500, seed: 3, outDir: out })).manifest;
  });

  it('writes every contract file with exactly its header, BOM only on debiteurs.csv', () => {
    const headers = contractHeaders();
    expect([...headers.keys()].sort()).toEqual(Object.keys(manifest.files).sort());
    for (const [file, header] of headers) {
      const text = readText(join(out, file));
      expect(text.startsWith('\uFEFF')).toBe(file === 'debiteurs.csv');
      expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(header);
    }
  });

  it('ends every line with CRLF', () => {
    for (const file of Object.keys(manifest.files)) {
      const text = readText(join(out, file));
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
  });

  it('accounts in the manifest for every row: valid, duplicate or broken by kind', () => {
    for (const [file, counts] of Object.entries(manifest.files)) {
      const { header, lines } = dataLines(join(out, file));
      expect(lines.length).toBe(counts.dataRows);
      const brokenTotal = Object.values(counts.broken).reduce((a, b) => a + (b ?? 0), 0);
      expect(counts.validRows + counts.duplicates + brokenTotal).toBe(counts.dataRows);
      const seen = classify(file, header, lines);
      expect(seen.duplicates).toBe(counts.duplicates);
      expect(seen.broken).toEqual(counts.broken);
      expect(seen.valid).toBe(counts.validRows);
      expect(brokenTotal).toBeGreaterThanOrEqual(3);
      expect(brokenTotal / counts.dataRows).toBeLessThan(0.01);
    }
  });

  it('writes the truth beside the export, one row per valid debtor', () => {
    const truthDir = truthDirOf(out);
    expect(truthDir).toBe(out + '-truth');
    const truth = readText(join(truthDir, 'ground_truth.csv')).trim().split('\n');
    expect(truth[0]).toBe('id_debiteur;code_etude;p_pay_30d;expected_amount_30d');
    expect(truth.length - 1).toBe(manifest.debtors);
    expect(manifest.files['debiteurs.csv']!.validRows).toBe(manifest.debtors);
    for (const line of truth.slice(1)) {
      const [, office, p, amount] = line.split(';');
      expect(office).toMatch(/^ETU0[1-3]$/);
      expect(Number(p)).toBeGreaterThanOrEqual(0);
      expect(Number(p)).toBeLessThanOrEqual(1);
      expect(Number(amount)).toBeGreaterThanOrEqual(0);
    }
    expect(manifest.truthWindow).toEqual({ from: '2026-11-24', toExclusive: '2026-12-24' });
    const onDisk = JSON.parse(readText(join(truthDir, 'manifest.json'))) as SynthManifest;
    expect(onDisk).toEqual(manifest);
  });
});
