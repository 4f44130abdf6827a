/**
 * Tables the API reads whose migrations belong to other stages (clean tables per
 * docs/data-contract.md, the published call list). When a migration has not landed yet, the API
 * tests create the table as the contract describes it; once it has, this does nothing.
 */
import type { Knex } from 'knex';

const CONTRACT: Record<string, string> = {
  'clean.debtors': `debtor_id text primary key, office_code text, title text, last_name text, first_name text, birth_date date, postal_code text, city text, country text, time_zone text, do_not_call boolean, updated_on date, _load_id text`,
  'clean.cases': `case_id text primary key, debtor_id text, office_code text, creditor text, claim_type text, principal numeric(14,2), fees numeric(14,2), opened_on date, legal_stage text, status text, disputed boolean, _load_id text`,
  'clean.payments': `payment_id text primary key, case_id text, debtor_id text, paid_on date, amount numeric(14,2), method text, _load_id text`,
  'clean.calls': `call_id text primary key, debtor_id text, case_id text, phone_e164 text, called_at timestamptz, duration_s integer, outcome text, agent text, _load_id text`,
  'clean.promises': `promise_id text primary key, case_id text, debtor_id text, promised_on date, amount numeric(14,2), due_on date, _load_id text`,
  'clean.phones': `debtor_id text, phone_e164 text, phone_type text, valid boolean, added_on date, _load_id text`,
};

/** Creates the contract's clean tables that no migration created. */
export async function ensureContractTables(knex: Knex): Promise<void> {
  for (const [table, columns] of Object.entries(CONTRACT)) {
    const exists = await knex.raw(`select to_regclass(?) as t`, [table]);
    if (!exists.rows[0]?.t) await knex.raw(`create table ${table} (${columns})`);
  }
}
