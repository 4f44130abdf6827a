/**
 * One definition per feature: the registry against the table's columns on a migrated database
 * (information_schema), the insert list of sql/features/debtor-features.sql, the model frame, the
 * reasons, and the features table of docs/analysts.md. Any disagreement fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { engines } from '../helpers/db';
import { FEATURES, MODEL_FEATURES, SNAPSHOT_COLUMNS, featureDocTable, featureLabel, featurePhrase, toModelFrame, type FeatureRow } from '../../src/features';
import { phraseOf, type ReasonFacts } from '../../src/ranking/reasons';

const ROOT = path.resolve(__dirname, '../..');
/** Columns of features.debtor_features that are keys or lineage, not features. */
const NOT_FEATURES = ['as_of', 'debtor_id', 'run_id', 'office_code', 'computed_at'];

describe.each(engines)('feature registry against the migrated table on $name', ({ open }) => {
  test('features.debtor_features has exactly the registry snapshot features, in order, with their types and nullability', async () => {
    const t = await open();
    try {
      const { rows } = (await t.db.knex.raw(
        `select column_name, data_type, numeric_precision, numeric_scale, is_nullable
           from information_schema.columns
          where table_schema = 'features' and table_name = 'debtor_features'
          order by ordinal_position`,
      )) as { rows: { column_name: string; data_type: string; numeric_precision: number | null; numeric_scale: number | null; is_nullable: string }[] };
      const typeOf = (r: (typeof rows)[number]) => (r.data_type === 'numeric' ? `numeric(${r.numeric_precision},${r.numeric_scale})` : r.data_type);
      const table = rows.filter((r) => !NOT_FEATURES.includes(r.column_name)).map((r) => `${r.column_name} ${typeOf(r)}${r.is_nullable === 'YES' ? '' : ' not null'}`);
      const registry = FEATURES.filter((d) => d.origin === 'snapshot').map((d) => `${d.name} ${d.sqlType}${d.nullable ? '' : ' not null'}`);
      expect(table).toEqual(registry);
    } finally {
      await t.close();
    }
  });
});

describe('feature registry against the code and the docs', () => {
  test('the insert list of sql/features/debtor-features.sql is the keys then the registry snapshot features, in order', () => {
    const sql = readFileSync(path.join(ROOT, 'sql/features/debtor-features.sql'), 'utf8');
    const list = /insert into features\.debtor_features \(([^)]*)\)/.exec(sql)?.[1];
    expect(list).toBeDefined();
    const columns = list!.split(',').map((c) => c.trim()).filter(Boolean);
    expect(columns).toEqual(['as_of', 'debtor_id', 'run_id', 'office_code', ...SNAPSHOT_COLUMNS]);
  });

  test('the model frame holds every feature the registry lets models use, snapshot then derived, and computes each derived one', () => {
    const modelUse = FEATURES.filter((d) => d.model);
    expect([...MODEL_FEATURES]).toEqual([...modelUse.filter((d) => d.origin === 'snapshot'), ...modelUse.filter((d) => d.origin === 'derived')].map((d) => d.name));
    const row: FeatureRow = { as_of: '2026-05-01', debtor_id: 'D1' };
    for (const name of SNAPSHOT_COLUMNS) row[name] = 2;
    const frame = toModelFrame([row]);
    expect([...frame.featureNames]).toEqual([...MODEL_FEATURES]);
    frame.featureNames.forEach((name, j) => expect({ name, value: frame.data[j] }).toEqual({ name, value: FEATURES.find((d) => d.name === name)!.origin === 'derived' ? 1 : 2 }));
    expect(frame.featureNames).not.toContain('legal_stage_rank');
    expect(frame.featureNames).not.toContain('disputed_any');
  });

  test('every feature has a phrase in French and English for the reasons, and the reasons speak only of registered features', () => {
    const facts: ReasonFacts = { listDate: '2026-11-24', lastPaymentOn: null, lastPaymentAmount: null, balance: 800, lastKeptPromiseOn: null, openPromiseAmount: 0, openPromiseDueOn: null };
    for (const d of FEATURES) {
      const values = d.unit === 'flag' ? [0, 1] : [0, 0.5, 1, 3, 250];
      const phrases = values.map((v) => featurePhrase(d.name, v, 'fr')).filter((p): p is string => p !== undefined);
      expect({ feature: d.name, phrases: phrases.length > 0 }).toEqual({ feature: d.name, phrases: true });
      for (const v of values) {
        const fr = featurePhrase(d.name, v, 'fr');
        const en = featurePhrase(d.name, v, 'en');
        expect(fr === undefined).toBe(en === undefined);
        // never the raw column name, which is what an unregistered feature falls back to
        if (fr) expect(fr).not.toContain(d.name);
        const reason = phraseOf({ feature: d.name, value: v, contribution: 1 }, facts);
        if (reason) expect(reason.fr).not.toContain(d.name.replace(/_/g, ' '));
      }
    }
    const reasons = readFileSync(path.join(ROOT, 'src/ranking/reasons.ts'), 'utf8');
    const named = [...reasons.matchAll(/case '([a-z0-9_]+)':/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !FEATURES.some((d) => d.name === n))).toEqual([]);
  });

  test('labels and phrases for the dashboard, French first', () => {
    expect(featureLabel('balance')).toBe('Solde restant dû');
    expect(featureLabel('balance', 'en')).toBe('Outstanding balance');
    expect(featureLabel('n_bailiff_visits')).toBe('n bailiff visits');
    expect(featurePhrase('balance', 1200)).toBe('solde de 1 200 €');
    expect(featurePhrase('balance', 1200, 'en')).toBe('balance of €1,200');
    expect(featurePhrase('n_payments_90d', 0)).toBeUndefined();
    expect(featurePhrase('has_valid_mobile', true)).toBe('mobile valide');
    expect(featurePhrase('legal_stage_rank', 2)).toBe('titre exécutoire');
    expect(featurePhrase('days_since_last_contact', 1, 'en')).toBe('last conversation 1 day ago');
    expect(featurePhrase('balance', null)).toBeUndefined();
    expect(featurePhrase('n_bailiff_visits', 3)).toBeUndefined();
    for (const d of FEATURES) expect(featureLabel(d.name, 'fr')).not.toBe(featureLabel(d.name, 'en'));
  });

  test('docs/analysts.md holds the features table rendered from the registry', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/analysts.md'), 'utf8');
    const table = /<!-- features-table:begin -->\n([\s\S]*?)\n<!-- features-table:end -->/.exec(doc)?.[1];
    expect(table).toBeDefined();
    // On a mismatch, paste featureDocTable() (src/features/feature-doc.ts) between the markers.
    expect(table).toBe(featureDocTable());
  });
});
