import { join } from 'node:path';
import { synthesize, type SynthManifest } from '../../src/synth';
import { parseDate, readRows, readText, tempDir } from './export-reader';

describe('synthetic exports are messy the way real ones are', () => {
  const out = join(tempDir('mess'), 'export');
  let manifest: SynthManifest;
  beforeAll(async () => {
    manifest = (await synthesize({ debtors: 3000, seed: 8, outDir: out })).manifest;
  });
  const text = (file: string) => readText(join(out, file));

  it('writes amounts with decimal commas, thousands separators and sometimes a decimal point', () => {
    const amounts = readRows(join(out, 'dossiers.csv')).map((r) => r.montant_principal as string);
    expect(amounts.some((a) => /^\d+,\d{2}$/.test(a))).toBe(true);
    expect(amounts.some((a) => /^\d{1,3}( \d{3})+,\d{2}$/.test(a))).toBe(true);
    expect(amounts.some((a) => /^\d+\.\d{2}$/.test(a))).toBe(true);
  });

  it('writes dates and timestamps in every format of the contract', () => {
    const dates = readRows(join(out, 'paiements.csv')).map((r) => r.date_paiement as string);
    for (const format of [/^\d{2}\/\d{2}\/\d{4}$/, /^\d{4}-\d{2}-\d{2}$/, /^\d{2}-\d{2}-\d{4}$/]) {
      expect(dates.some((d) => format.test(d))).toBe(true);
    }
    const stamps = readRows(join(out, 'appels.csv')).map((r) => r.date_heure_appel as string);
    expect(stamps.some((s) => /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/.test(s))).toBe(true);
    expect(stamps.some((s) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00$/.test(s))).toBe(true);
  });

  it('writes phones in the five written forms, with a few invalid ones', () => {
    const phones = readRows(join(out, 'telephones.csv')).map((r) => r.telephone as string);
    const international = '(33[1-9]\\d{8}|(590|596|594|262)[1-9]\\d{8})';
    const forms = [/^0[1-9]( \d{2}){4}$/, /^0[1-9]\d{8}$/, /^0[1-9](\.\d{2}){4}$/, new RegExp(`^\\+${international}$`), new RegExp(`^00${international}$`)];
    for (const form of forms) expect(phones.some((p) => form.test(p))).toBe(true);
    const invalid = phones.filter((p) => !forms.some((f) => f.test(p)));
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.length / phones.length).toBeLessThan(0.05);
    expect(phones.some((p) => /^\+(590|596|594|262)/.test(p))).toBe(true);
    const validRows = new Set(readRows(join(out, 'telephones.csv'))
      .filter((r) => /^D\d{7}$/.test(r.id_debiteur as string) && parseDate(r.date_ajout as string) !== null)
      .map((r) => JSON.stringify(r)));
    const invalidRows = [...validRows].filter((r) => !forms.some((f) => f.test(JSON.parse(r).telephone)));
    expect(invalidRows.length).toBe(manifest.invalidPhoneRows);
  });

  it('has accents, apostrophes and quoted fields holding the delimiter', () => {
    const debtors = text('debiteurs.csv');
    expect(debtors).toMatch(/[éèëïôç]/);
    expect(debtors).toMatch(/;[A-Z]'[A-ZÉ]/);
    expect(debtors).toMatch(/;"[^"]*;[^"]*";/);
    expect(debtors).toMatch(/""Les Pins""/);
    const rows = readRows(join(out, 'debiteurs.csv'));
    expect(rows.some((r) => (r.adresse as string).includes(';'))).toBe(true);
  });

  it('exports about 1 % of persons twice, under two offices with two ids, as twins.csv lists', () => {
    const rows = readRows(join(out, 'debiteurs.csv')).filter((r) => /^D\d{7}$/.test(r.id_debiteur as string));
    const byId = new Map(rows.map((r) => [r.id_debiteur as string, r]));
    const person = (r: Record<string, string>) => `${r.nom}|${r.prenom}|${parseDate(r.date_naissance as string)?.toISOString()}|${r.adresse}`;
    const pairs = readText(join(out + '-truth', 'twins.csv')).trim().split('\n').slice(1).map((l) => l.split(';'));
    expect(pairs.length).toBe(manifest.twins);
    expect(pairs.length).toBeGreaterThan(10);
    expect(pairs.length).toBeLessThan(60);
    for (const [id1, office1, id2, office2] of pairs) {
      const [a, b] = [byId.get(id1 as string)!, byId.get(id2 as string)!];
      expect(person(a)).toBe(person(b));
      expect([a.code_etude, b.code_etude]).toEqual([office1, office2]);
      expect(office1).not.toBe(office2);
    }
    const byPerson = new Map<string, number>();
    for (const r of byId.values()) byPerson.set(person(r), (byPerson.get(person(r)) ?? 0) + 1);
    expect([...byPerson.values()].filter((n) => n === 2).length).toBe(pairs.length);
  });

  it('uses only the codes of the contract', () => {
    const codes = (file: string, column: string) => new Set(readRows(join(out, file)).map((r) => r[column] as string));
    expect([...codes('dossiers.csv', 'phase')].every((c) => ['AMI', 'INJ', 'TIT', 'SAI', 'SUR', 'CLO'].includes(c))).toBe(true);
    expect(codes('dossiers.csv', 'statut')).toEqual(new Set(['EN_COURS', 'SOLDE', 'IRRECOUVRABLE', 'SUSPENDU']));
    expect(codes('dossiers.csv', 'conteste')).toEqual(new Set(['0', '1']));
    expect(codes('paiements.csv', 'mode_reglement')).toEqual(new Set(['VIR', 'CHQ', 'CB', 'PRLV', 'ESP']));
    expect(codes('appels.csv', 'resultat')).toEqual(new Set(['NRP', 'OCC', 'FNUM', 'CTC', 'PROM', 'REF']));
    expect(codes('promesses.csv', 'statut_promesse')).toEqual(new Set(['EN_COURS', 'TENUE', 'NON_TENUE']));
    expect(codes('telephones.csv', 'type_tel')).toEqual(new Set(['MOBILE', 'FIXE', 'PRO']));
    expect(codes('debiteurs.csv', 'opposition_demarchage')).toEqual(new Set(['O', 'N']));
    expect(codes('debiteurs.csv', 'civilite')).toEqual(new Set(['M.', 'Mme']));
    expect(codes('dossiers.csv', 'phase')).toContain('SUR');
  });
});
