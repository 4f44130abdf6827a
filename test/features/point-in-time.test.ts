import type { Knex } from 'knex';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { computeFeatureSnapshot, computeLabels, readFeatureRows, trainingSnapshotDates, toModelFrame, MODEL_FEATURES } from '../../src/features';

const TZ = 'Europe/Paris';

async function seedHistory(knex: Knex): Promise<void> {
  await knex('clean.debtors').insert([
    { debtor_id: 'P1', office_code: 'ETU01', last_name: 'Martin', first_name: 'Léa', birth_date: '1980-06-15', postal_code: '75011', country: 'FR', time_zone: TZ, do_not_call: false },
    { debtor_id: 'P2', office_code: 'ETU01', last_name: 'Durand', first_name: 'Jean', birth_date: '1990-01-01', postal_code: '97400', country: 'FR', time_zone: 'Indian/Reunion', do_not_call: false },
  ]);
  await knex('clean.cases').insert([
    { case_id: 'C1', debtor_id: 'P1', office_code: 'ETU01', creditor: 'Banque A', principal: 1000, fees: 100, opened_on: '2025-10-01', legal_stage: 'injunction', status: 'open', disputed: false },
    { case_id: 'C2', debtor_id: 'P1', office_code: 'ETU01', creditor: 'Telco B', principal: 200, fees: 0, opened_on: '2026-04-20', legal_stage: 'amicable', status: 'open', disputed: true },
    { case_id: 'C3', debtor_id: 'P2', office_code: 'ETU01', creditor: 'Banque A', principal: 500, fees: 0, opened_on: '2026-01-05', legal_stage: 'amicable', status: 'open', disputed: false },
  ]);
  await knex('clean.payments').insert([
    { payment_id: 'Y1', case_id: 'C1', debtor_id: 'P1', paid_on: '2026-01-10', amount: 50 },
    { payment_id: 'Y2', case_id: 'C1', debtor_id: 'P1', paid_on: '2026-03-20', amount: 150 },
    { payment_id: 'Y3', case_id: 'C1', debtor_id: 'P1', paid_on: '2026-05-05', amount: 80 }, // after as-of: a label, not a feature
  ]);
  await knex('clean.calls').insert([
    // 2026-04-30 23:30 in Paris is 21:30 UTC: before the as-of day in the office's time zone
    { call_id: 'K1', debtor_id: 'P1', case_id: 'C1', called_at: '2026-04-30T21:30:00Z', duration_s: 120, outcome: 'promise' },
    // 2026-04-30 22:30 UTC is already 1 May 00:30 in Paris: the as-of day itself, excluded
    { call_id: 'K2', debtor_id: 'P1', case_id: 'C1', called_at: '2026-04-30T22:30:00Z', duration_s: 0, outcome: 'no_answer' },
    { call_id: 'K3', debtor_id: 'P1', case_id: 'C1', called_at: '2026-03-01T09:00:00Z', duration_s: 0, outcome: 'wrong_number' },
  ]);
  await knex('clean.promises').insert([
    { promise_id: 'R1', case_id: 'C1', debtor_id: 'P1', promised_on: '2026-03-10', amount: 150, due_on: '2026-03-25' }, // kept by Y2
    { promise_id: 'R2', case_id: 'C1', debtor_id: 'P1', promised_on: '2026-04-30', amount: 80, due_on: '2026-05-06' }, // still open on 1 May
  ]);
  await knex('clean.phones').insert([
    { debtor_id: 'P1', phone_e164: '+33612345678', phone_type: 'mobile', valid: true, added_on: '2025-10-01' },
    { debtor_id: 'P1', phone_e164: null, phone_type: 'landline', valid: false, added_on: '2025-10-01' },
  ]);
}

async function plantFuture(knex: Knex): Promise<void> {
  await knex('clean.payments').insert({ payment_id: 'F1', case_id: 'C3', debtor_id: 'P2', paid_on: '2026-05-01', amount: 500 });
  await knex('clean.calls').insert({ call_id: 'F2', debtor_id: 'P2', case_id: 'C3', called_at: '2026-05-02T10:00:00Z', duration_s: 60, outcome: 'right_party_contact' });
  await knex('clean.promises').insert({ promise_id: 'F3', case_id: 'C3', debtor_id: 'P2', promised_on: '2026-05-01', amount: 500, due_on: '2026-05-03' });
  await knex('clean.cases').insert({ case_id: 'F4', debtor_id: 'P2', office_code: 'ETU01', creditor: 'X', principal: 999, fees: 0, opened_on: '2026-05-01', legal_stage: 'amicable', status: 'open', disputed: false });
  await knex('clean.phones').insert({ debtor_id: 'P2', phone_e164: '+262692000000', phone_type: 'mobile', valid: true, added_on: '2026-05-02' });
}

describe('point-in-time features', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshPglite();
    await seedHistory(t.db.knex);
  });
  afterEach(() => t.close());

  test('each feature is what the history before the as-of date says, computed by hand', async () => {
    await computeFeatureSnapshot(t.db, { asOf: '2026-05-01', timeZone: TZ, current: false });
    const [p1] = (await readFeatureRows(t.db, '2026-05-01')).filter((r) => r.debtor_id === 'P1');
    expect(p1).toMatchObject({
      balance: 1100, // 1000 + 100 + 200 − 50 − 150
      principal_total: 1200,
      n_cases: 2,
      n_open_cases: 2,
      oldest_case_age_days: 212,
      newest_case_age_days: 11,
      n_payments_90d: 1, // 20 March
      amount_paid_90d: 150,
      n_payments_365d: 2,
      amount_paid_365d: 200,
      days_since_last_payment: 42,
      last_payment_amount: 150,
      avg_payment_amount: 100,
      n_calls_30d: 1, // K1 only: K2 falls on 1 May in Paris
      n_calls_90d: 2,
      n_contacts_90d: 1,
      contact_rate_90d: 0.5,
      days_since_last_contact: 1,
      n_wrong_number_90d: 1,
      n_promises_365d: 2,
      n_promises_kept_365d: 1,
      promise_keep_rate: 1, // R2 is not due yet, so only R1 is judged
      days_since_last_promise: 1,
      open_promise_amount: 80,
      age_years: 45,
      n_valid_phones: 1,
      has_valid_mobile: true,
      overseas: false,
      legal_stage_rank: null, // a past snapshot cannot know the stage it had then
      disputed_any: false,
    });
    expect(Number(p1!.paid_share)).toBeCloseTo(200 / 1300, 12);
  });

  test('events on or after the as-of date never change the snapshot', async () => {
    await computeFeatureSnapshot(t.db, { asOf: '2026-05-01', timeZone: TZ, current: false });
    const before = await readFeatureRows(t.db, '2026-05-01');
    await plantFuture(t.db.knex);
    await computeFeatureSnapshot(t.db, { asOf: '2026-05-01', timeZone: TZ, current: false });
    const after = await readFeatureRows(t.db, '2026-05-01');
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ computed_at: _c, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
    // the planted payment on the as-of day itself is the future: it shows up only in the label
    await computeLabels(t.db, { asOf: '2026-05-01', horizonDays: 30, minAmount: 1 });
    const labels = await t.db.knex('features.labels').where({ as_of: '2026-05-01' }).orderBy('debtor_id');
    expect(labels.map((l: { debtor_id: string; paid_amount: number; label: boolean }) => [l.debtor_id, l.paid_amount, l.label])).toEqual([
      ['P1', 80, true],
      ['P2', 500, true],
    ]);
  });

  test('recomputing a snapshot replaces it; the current snapshot fills current-state attributes', async () => {
    await computeFeatureSnapshot(t.db, { asOf: '2026-05-01', timeZone: TZ, current: true });
    const n = await computeFeatureSnapshot(t.db, { asOf: '2026-05-01', timeZone: TZ, current: true });
    const rows = await readFeatureRows(t.db, '2026-05-01');
    expect(rows).toHaveLength(n);
    expect(rows.find((r) => r.debtor_id === 'P1')).toMatchObject({ legal_stage_rank: 1, disputed_any: true });
    expect(rows.find((r) => r.debtor_id === 'P2')).toMatchObject({ overseas: true, n_payments_365d: 0, days_since_last_payment: null });
  });

  test('the model frame derives ratios and keeps missing values as NaN', async () => {
    await computeFeatureSnapshot(t.db, { asOf: '2026-05-01', timeZone: TZ, current: false });
    const frame = toModelFrame(await readFeatureRows(t.db, '2026-05-01'));
    const col = (name: string) => MODEL_FEATURES.indexOf(name);
    const p1 = frame.debtorIds.indexOf('P1');
    const p2 = frame.debtorIds.indexOf('P2');
    expect(frame.data[p1 * frame.nCols + col('paid_365d_to_balance')]).toBeCloseTo(200 / 1100, 12);
    expect(frame.data[p1 * frame.nCols + col('has_valid_mobile')]).toBe(1);
    expect(Number.isNaN(frame.data[p2 * frame.nCols + col('days_since_last_payment')] as number)).toBe(true);
  });
});

describe('training snapshot dates', () => {
  test('first days of months whose whole horizon is known, oldest first', () => {
    expect(trainingSnapshotDates('2026-11-24', 30, 3)).toEqual(['2026-08-01', '2026-09-01', '2026-10-01']);
    expect(trainingSnapshotDates('2026-10-31', 30, 2)).toEqual(['2026-09-01', '2026-10-01']);
    expect(trainingSnapshotDates('2026-10-30', 30, 2)).toEqual(['2026-08-01', '2026-09-01']);
    expect(trainingSnapshotDates('2026-02-15', 30, 3)).toEqual(['2025-11-01', '2025-12-01', '2026-01-01']);
  });
});
