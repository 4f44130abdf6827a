/**
 * Seeds the tables the call list reads — clean.*, features.debtor_features, scoring.scores — with
 * debtors described by a few fields, everything else defaulted.
 */
import type { Knex } from 'knex';
import { compileConfig, type RelanceConfig } from '../../src/config';

/** A debtor to seed; only `id` is required. */
export interface DebtorSeed {
  id: string;
  office?: string;
  country?: string;
  timeZone?: string;
  postalCode?: string;
  doNotCall?: boolean;
  stage?: string;
  status?: string;
  disputed?: boolean;
  creditor?: string;
  balance?: number;
  pPay?: number;
  /** null: no valid phone. */
  phone?: string | null;
  phoneType?: string;
  calls?: { at: string; outcome: string; phone?: string }[];
  payments?: { on: string; amount: number }[];
  promises?: { promisedOn: string; dueOn: string; amount: number }[];
  avgPayment?: number | null;
  openPromise?: number;
  explanation?: { feature: string; value: number | null; contribution: number }[];
  scored?: boolean;
}

/** Inserts the debtors with their case, phone, calls, payments, promises, features and score. */
export async function seedDebtors(knex: Knex, listDate: string, seeds: readonly DebtorSeed[], modelVersionId = 'logistic-v1'): Promise<void> {
  const rows = <T>(f: (s: DebtorSeed) => T[]): T[] => seeds.flatMap(f);
  const insert = async (table: string, data: object[]): Promise<void> => {
    for (let i = 0; i < data.length; i += 400) await knex(table).insert(data.slice(i, i + 400));
  };
  await insert('clean.debtors', seeds.map((s) => ({ debtor_id: s.id, office_code: s.office ?? 'ETU01', last_name: `Nom${s.id}`, first_name: 'Prénom', country: s.country ?? 'FR', postal_code: s.postalCode ?? '75011', time_zone: s.timeZone ?? 'Europe/Paris', do_not_call: s.doNotCall ?? false })));
  await insert('clean.cases', seeds.map((s) => ({ case_id: `${s.id}-C1`, debtor_id: s.id, office_code: s.office ?? 'ETU01', creditor: s.creditor ?? 'BANQUE', principal: s.balance ?? 1000, fees: 0, opened_on: '2025-01-10', legal_stage: s.stage ?? 'amicable', status: s.status ?? 'open', disputed: s.disputed ?? false })));
  await insert('clean.phones', rows((s) => (s.phone === null ? [] : [{ debtor_id: s.id, phone_e164: s.phone ?? `+336${s.id.replace(/\D/g, '').padStart(8, '0').slice(-8)}`, phone_type: s.phoneType ?? 'mobile', valid: true, added_on: '2025-01-10' }])));
  await insert('clean.calls', rows((s) => (s.calls ?? []).map((c, i) => ({ call_id: `${s.id}-A${i}`, debtor_id: s.id, case_id: `${s.id}-C1`, phone_e164: c.phone ?? '+33600000000', called_at: c.at, duration_s: 60, outcome: c.outcome }))));
  await insert('clean.payments', rows((s) => (s.payments ?? []).map((p, i) => ({ payment_id: `${s.id}-P${i}`, case_id: `${s.id}-C1`, debtor_id: s.id, paid_on: p.on, amount: p.amount, method: 'VIR' }))));
  await insert('clean.promises', rows((s) => (s.promises ?? []).map((p, i) => ({ promise_id: `${s.id}-R${i}`, case_id: `${s.id}-C1`, debtor_id: s.id, promised_on: p.promisedOn, due_on: p.dueOn, amount: p.amount }))));
  await insert(
    'features.debtor_features',
    seeds.map((s) => ({
      as_of: listDate, debtor_id: s.id, office_code: s.office ?? 'ETU01', balance: s.balance ?? 1000, principal_total: s.balance ?? 1000, n_cases: 1, n_open_cases: 1,
      n_payments_90d: 0, amount_paid_90d: 0, n_payments_365d: 0, amount_paid_365d: 0, avg_payment_amount: s.avgPayment ?? null, last_payment_amount: s.avgPayment ?? null,
      n_calls_30d: 0, n_calls_90d: 0, n_contacts_90d: 0, n_wrong_number_90d: 0, n_refusals_365d: 0, n_promises_365d: 0, n_promises_kept_365d: 0,
      open_promise_amount: s.openPromise ?? 0, n_valid_phones: s.phone === null ? 0 : 1, has_valid_mobile: s.phone !== null, disputed_any: s.disputed ?? false, overseas: false,
    })),
  );
  await insert(
    'scoring.scores',
    seeds.filter((s) => s.scored !== false).map((s) => ({ as_of: listDate, debtor_id: s.id, model_version_id: modelVersionId, p_pay: s.pPay ?? 0.3, raw_score: 0, expected_value: 0, explanation: JSON.stringify(s.explanation ?? []) })),
  );
}

/** A validated configuration with `ranking` overrides. */
export function rankingConfig(ranking: Record<string, unknown> = {}): RelanceConfig {
  return compileConfig({ timezone: 'Europe/Paris', ranking });
}
