/**
 * Call outcomes back in: VICIdial logs every dial in `vicidial_log`. This source definition pulls
 * them each night like any office table (`sources:` in config/relance.yaml, kind `sql`, client
 * `mysql2`) into `raw.calls`, with the office's outcome codes, so that cleaning, features, contact
 * rates, frequency caps, do-not-call requests, promises and training labels see the calls the
 * dialer made from the list.
 */
import { ConfigError } from '../core/errors';
import type { SqlSourceConfig } from '../config/schema/sources';

/** The office outcome codes a VICIdial status maps to (docs/data-contract.md, `resultat`). */
export type OfficeOutcome = 'NRP' | 'OCC' | 'FNUM' | 'PROM' | 'OPP' | 'REF' | 'CTC';

/**
 * The VICIdial statuses of each office outcome: no answer and machines NRP, busy OCC,
 * disconnected or wrong number FNUM, promises PROM, do-not-call requests OPP (a refusal that keeps
 * the debtor and the number off every list until lifted), refusals REF, other human statuses CTC.
 * A status not listed is a contact when the call lasted 20 seconds or more, else no answer.
 */
export const DEFAULT_VICIDIAL_STATUSES: Readonly<Record<OfficeOutcome, readonly string[]>> = {
  NRP: ['NA', 'N', 'A', 'AA', 'AL', 'AM', 'AFAX', 'DROP', 'PDROP', 'NANQUE'],
  OCC: ['B', 'AB'],
  FNUM: ['DC', 'ADC', 'WN', 'WRONG'],
  PROM: ['PTP', 'PROM', 'SALE'],
  OPP: ['DNC', 'DNCL'],
  REF: ['NI', 'REF'],
  CTC: ['CALLBK', 'CBHOLD', 'XFER', 'CTC', 'NP'],
};

/**
 * Where the agent writes a promise's amount and due date: VICIdial list custom fields, stored
 * per lead in `custom_<list_id>`. The amount may use a decimal comma; the due date is a DATE
 * field or text `YYYY-MM-DD` or `DD/MM/YYYY`. A value that cannot be read is left out (the call
 * stays a promise outcome without a promise row).
 */
export interface VicidialPromiseFields {
  /** The custom fields table, `custom_<listId>` of the list relance publishes. */
  table: string;
  /** Column of the promised amount. */
  amount: string;
  /** Column of the promised due date. */
  dueOn: string;
}

/** Options of {@link vicidialOutcomesQuery}. */
export interface VicidialOutcomesOptions {
  /** Statuses per office outcome, replacing the defaults of the outcomes given. @defaultValue {@link DEFAULT_VICIDIAL_STATUSES} */
  statuses?: Partial<Record<OfficeOutcome, readonly string[]>>;
  /** Where promises' amounts and due dates are read; none when absent. */
  promiseFields?: VicidialPromiseFields;
}

const ORDER: readonly OfficeOutcome[] = ['NRP', 'OCC', 'FNUM', 'PROM', 'OPP', 'REF', 'CTC'];
const STATUS = /^[A-Za-z0-9_-]{1,20}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The statuses of each outcome, checked: safe text, each status in one outcome only. */
export function vicidialStatuses(overrides: VicidialOutcomesOptions['statuses'] = {}): Readonly<Record<OfficeOutcome, readonly string[]>> {
  const out = { ...DEFAULT_VICIDIAL_STATUSES, ...overrides };
  const seen = new Map<string, OfficeOutcome>();
  for (const outcome of ORDER) {
    for (const status of out[outcome]) {
      if (!STATUS.test(status)) throw new ConfigError(`VICIdial status "${status}" of ${outcome} is not a status name`, { context: { field: `statuses.${outcome}` } });
      const other = seen.get(status);
      if (other) throw new ConfigError(`VICIdial status ${status} maps to both ${other} and ${outcome}`, { context: { field: `statuses.${outcome}` } });
      seen.set(status, outcome);
    }
  }
  return out;
}

const list = (statuses: readonly string[]): string => (statuses.length === 0 ? 'NULL' : statuses.map((s) => `'${s}'`).join(', '));

/**
 * The query: one row per dial of a lead relance published (`source_id` starting with `relance`),
 * newer than the watermark (`start_epoch`). The call time is the debtor's local wall time
 * (`gmt_offset_now` of the lead), as office exports write it; statuses map to office outcomes as
 * configured; a promise status carries the amount and due date of `promiseFields` when given.
 */
export function vicidialOutcomesQuery(options: VicidialOutcomesOptions = {}): string {
  const statuses = vicidialStatuses(options.statuses);
  const fields = options.promiseFields;
  if (fields) {
    for (const [key, name] of Object.entries(fields)) {
      if (!IDENTIFIER.test(name)) throw new ConfigError(`promiseFields.${key} "${name}" is not a table or column name`, { context: { field: `promiseFields.${key}` } });
    }
  }
  const promise = `vl.status IN (${list(statuses.PROM)})`;
  const amountText = fields ? `REPLACE(TRIM(cf.\`${fields.amount}\`), ',', '.')` : '';
  const promiseColumns = fields
    ? `CASE WHEN ${promise} AND ${amountText} REGEXP '^[0-9]{1,12}([.][0-9]{1,2}){0,1}$' THEN ${amountText} END AS promise_amount,
       CASE WHEN ${promise} THEN DATE_FORMAT(COALESCE(STR_TO_DATE(cf.\`${fields.dueOn}\`, '%Y-%m-%d'), STR_TO_DATE(cf.\`${fields.dueOn}\`, '%d/%m/%Y')), '%Y-%m-%d') END AS promise_due_on,`
    : `NULL AS promise_amount,
       NULL AS promise_due_on,`;
  const join = fields ? `\n  LEFT JOIN \`${fields.table}\` cf ON cf.lead_id = vl.lead_id` : '';
  return `SELECT CONCAT('VD', vl.uniqueid) AS call_id,
       l.vendor_lead_code AS debtor_id,
       NULL AS case_id,
       CONCAT('+', vl.phone_code, vl.phone_number) AS phone,
       DATE_FORMAT(DATE_ADD('1970-01-01 00:00:00', INTERVAL (vl.start_epoch + ROUND(l.gmt_offset_now * 3600)) SECOND), '%Y-%m-%d %H:%i:%s') AS called_at,
       COALESCE(vl.length_in_sec, 0) AS duration_s,
       CASE
${ORDER.map((o) => `         WHEN vl.status IN (${list(statuses[o])}) THEN '${o}'`).join('\n')}
         WHEN COALESCE(vl.length_in_sec, 0) >= 20 THEN 'CTC'
         ELSE 'NRP'
       END AS outcome,
       ${promiseColumns}
       vl.user AS agent,
       vl.start_epoch AS start_epoch
  FROM vicidial_log vl
  JOIN vicidial_list l ON l.lead_id = vl.lead_id${join}
 WHERE l.source_id LIKE 'relance%'
   AND vl.start_epoch > :watermark
 ORDER BY vl.start_epoch`;
}

/** The query with the default statuses and no promise fields. */
export const VICIDIAL_OUTCOMES_QUERY = vicidialOutcomesQuery();

/** A `sources:` entry pulling VICIdial's call log into `raw.calls` (as written in YAML). */
export function vicidialOutcomesSource(options: { name: string; url: string } & VicidialOutcomesOptions): Extract<SqlSourceConfig, { kind: 'sql' }> {
  return {
    kind: 'sql',
    name: options.name,
    client: 'mysql2',
    url: options.url,
    decimalComma: false,
    dateFormats: ['YYYY-MM-DD'],
    tables: [
      {
        table: 'calls',
        query: vicidialOutcomesQuery(options),
        watermarkColumn: 'start_epoch',
        initialWatermark: 0,
        columns: {
          call_id: 'call_id', debtor_id: 'debtor_id', case_id: 'case_id', phone: 'phone', called_at: 'called_at', duration_s: 'duration_s', outcome: 'outcome', agent: 'agent',
          promise_amount: 'promise_amount', promise_due_on: 'promise_due_on',
        },
        checks: {},
      },
    ],
  };
}
