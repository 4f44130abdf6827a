/**
 * The contracts of relance's raw tables: which columns each holds, how each is read and checked,
 * and which columns identify a row. A source's `checks` refine them; a raw table relance does not
 * know is all optional text unless its source declares more.
 */
import type { ColumnCheck } from '../config/schema/sources';

/** How a raw column is read and checked. */
export interface ColumnContract {
  readonly name: string;
  readonly type: 'text' | 'date' | 'timestamp' | 'decimal' | 'integer';
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly notFuture?: boolean;
}

/** The contract of one raw table. */
export interface TableContract {
  readonly table: string;
  readonly columns: readonly ColumnContract[];
  readonly key: readonly string[];
}

const text = (name: string, more: Partial<ColumnContract> = {}): ColumnContract => ({ name, type: 'text', required: false, ...more });
const id = (name: string): ColumnContract => text(name, { required: true });
const date = (name: string, more: Partial<ColumnContract> = {}): ColumnContract => ({ name, type: 'date', required: false, ...more });
const amount = (name: string, more: Partial<ColumnContract> = {}): ColumnContract => ({ name, type: 'decimal', required: false, min: 0, ...more });
const code = (name: string, values: readonly string[], more: Partial<ColumnContract> = {}): ColumnContract => text(name, { values, ...more });

/** Office codes of docs/data-contract.md, by raw column. */
export const OFFICE_CODES = {
  title: ['M.', 'Mme'],
  yesNo: ['O', 'N'],
  legalStage: ['AMI', 'INJ', 'TIT', 'SAI', 'SUR', 'CLO'],
  caseStatus: ['EN_COURS', 'SOLDE', 'IRRECOUVRABLE', 'SUSPENDU'],
  disputed: ['0', '1'],
  method: ['VIR', 'CHQ', 'CB', 'PRLV', 'ESP'],
  outcome: ['NRP', 'OCC', 'FNUM', 'CTC', 'PROM', 'REF', 'OPP', 'TIERS'],
  promiseStatus: ['EN_COURS', 'TENUE', 'NON_TENUE'],
  phoneType: ['MOBILE', 'FIXE', 'PRO'],
} as const;

/** The built-in contracts of relance's raw tables. */
export const RAW_CONTRACTS: Readonly<Record<string, TableContract>> = {
  debtors: {
    table: 'debtors',
    key: ['debtor_id', 'office_code'],
    columns: [
      id('debtor_id'), id('office_code'), code('title', OFFICE_CODES.title), text('last_name', { required: true }), text('first_name'),
      date('birth_date', { notFuture: true }), text('address'), text('postal_code'), text('city'), text('country'),
      code('do_not_call', OFFICE_CODES.yesNo), date('updated_on', { notFuture: true }),
    ],
  },
  cases: {
    table: 'cases',
    key: ['case_id'],
    columns: [
      id('case_id'), id('debtor_id'), id('office_code'), text('creditor'), text('claim_type'), amount('principal', { required: true }),
      amount('fees'), date('opened_on', { required: true, notFuture: true }), code('legal_stage', OFFICE_CODES.legalStage, { required: true }),
      code('status', OFFICE_CODES.caseStatus, { required: true }), code('disputed', OFFICE_CODES.disputed),
    ],
  },
  payments: {
    table: 'payments',
    key: ['payment_id'],
    columns: [
      id('payment_id'), id('case_id'), date('paid_on', { required: true, notFuture: true }), amount('amount', { required: true }),
      code('method', OFFICE_CODES.method),
    ],
  },
  calls: {
    table: 'calls',
    key: ['call_id'],
    columns: [
      id('call_id'), id('debtor_id'), text('case_id'), text('phone'), { name: 'called_at', type: 'timestamp', required: true, notFuture: true },
      { name: 'duration_s', type: 'integer', required: false, min: 0 }, code('outcome', OFFICE_CODES.outcome, { required: true }), text('agent'),
      // A promise taken on the call (outcome PROM): its amount and due date, when the source gives them.
      amount('promise_amount'), date('promise_due_on'),
    ],
  },
  promises: {
    table: 'promises',
    key: ['promise_id'],
    columns: [
      id('promise_id'), id('case_id'), date('promised_on', { required: true, notFuture: true }), amount('amount', { required: true }),
      date('due_on'), code('promise_status', OFFICE_CODES.promiseStatus),
    ],
  },
  phones: {
    table: 'phones',
    key: ['debtor_id', 'phone'],
    columns: [id('debtor_id'), text('phone', { required: true }), code('phone_type', OFFICE_CODES.phoneType), date('added_on', { notFuture: true })],
  },
};

/**
 * The contract a load checks: the built-in one of `table` (or bare text columns for a table relance
 * does not know) restricted to the `columns` the source maps, refined by the source's `checks`.
 */
export function contractFor(table: string, columns: readonly string[], checks: Readonly<Record<string, ColumnCheck>> = {}, key?: readonly string[]): TableContract {
  const builtIn = RAW_CONTRACTS[table];
  const known = new Map((builtIn?.columns ?? []).map((c) => [c.name, c]));
  const merged = columns.map((name): ColumnContract => {
    const base = known.get(name) ?? text(name);
    const check = checks[name] ?? {};
    return {
      name,
      type: check.type ?? base.type,
      required: check.required ?? base.required,
      ...(check.values ?? base.values ? { values: check.values ?? base.values } : {}),
      ...(check.min ?? base.min) !== undefined ? { min: check.min ?? base.min } : {},
      ...(check.notFuture ?? base.notFuture) !== undefined ? { notFuture: check.notFuture ?? base.notFuture } : {},
    };
  });
  const keyColumns = (key ?? builtIn?.key ?? []).filter((k) => columns.includes(k));
  return { table, columns: merged, key: keyColumns };
}

/** Every column a raw table has: the contract's, then any the source adds. */
export function rawColumnsOf(table: string, mapped: readonly string[]): string[] {
  const builtIn = RAW_CONTRACTS[table]?.columns.map((c) => c.name) ?? [];
  return [...builtIn, ...mapped.filter((c) => !builtIn.includes(c))];
}
