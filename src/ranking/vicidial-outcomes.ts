/**
 * Call outcomes back in: VICIdial logs every dial in `vicidial_log`. This source definition pulls
 * them each night like any office table (`sources:` in config/relance.yaml, kind `sql`, client
 * `mysql2`) into `raw.calls`, with the office's outcome codes, so that cleaning, features, contact
 * rates, frequency caps and training labels see the calls the dialer made from the list.
 */
import type { SqlSourceConfig } from '../config/schema/sources';

/**
 * The query: one row per dial of a lead relance published (`source_id` starting with `relance`),
 * from the watermark on (`start_epoch`; dials of the same second already pulled are skipped by
 * their `call_id`). The call time is the debtor's local wall time
 * (`gmt_offset_now` of the lead), as office exports write it. VICIdial statuses map to the
 * office codes: no answer and machines NRP, busy OCC, disconnected or wrong number FNUM,
 * promise statuses PROM, refusals and do-not-call REF, other human statuses CTC; an unknown
 * status is a contact when the call lasted 20 seconds or more.
 */
export const VICIDIAL_OUTCOMES_QUERY = `SELECT CONCAT('VD', vl.uniqueid) AS call_id,
       l.vendor_lead_code AS debtor_id,
       NULL AS case_id,
       CONCAT('+', vl.phone_code, vl.phone_number) AS phone,
       DATE_FORMAT(DATE_ADD('1970-01-01 00:00:00', INTERVAL (vl.start_epoch + ROUND(l.gmt_offset_now * 3600)) SECOND), '%Y-%m-%d %H:%i:%s') AS called_at,
       COALESCE(vl.length_in_sec, 0) AS duration_s,
       CASE
         WHEN vl.status IN ('NA', 'N', 'A', 'AA', 'AL', 'AM', 'AFAX', 'DROP', 'PDROP', 'NANQUE') THEN 'NRP'
         WHEN vl.status IN ('B', 'AB') THEN 'OCC'
         WHEN vl.status IN ('DC', 'ADC', 'WN', 'WRONG') THEN 'FNUM'
         WHEN vl.status IN ('PTP', 'PROM', 'SALE') THEN 'PROM'
         WHEN vl.status IN ('NI', 'REF', 'DNC', 'DNCL') THEN 'REF'
         WHEN vl.status IN ('CALLBK', 'CBHOLD', 'XFER', 'CTC', 'NP') THEN 'CTC'
         WHEN COALESCE(vl.length_in_sec, 0) >= 20 THEN 'CTC'
         ELSE 'NRP'
       END AS outcome,
       vl.user AS agent,
       vl.start_epoch AS start_epoch
  FROM vicidial_log vl
  JOIN vicidial_list l ON l.lead_id = vl.lead_id
 WHERE l.source_id LIKE 'relance%'
   AND vl.start_epoch >= :watermark
 ORDER BY vl.start_epoch`;

/** A `sources:` entry pulling VICIdial's call log into `raw.calls` (as written in YAML). */
export function vicidialOutcomesSource(options: { name: string; url: string }): Extract<SqlSourceConfig, { kind: 'sql' }> {
  return {
    kind: 'sql',
    name: options.name,
    client: 'mysql2',
    url: options.url,
    decimalComma: false,
    dateFormats: ['YYYY-MM-DD'],
    // No dial for five days (a long weekend is shorter) means the outcomes stopped coming back.
    freshness: { enabled: true, maxAgeHours: 120, minRowsRatio: 0 },
    tables: [
      {
        table: 'calls',
        query: VICIDIAL_OUTCOMES_QUERY,
        watermarkColumn: 'start_epoch',
        watermarkType: 'epoch',
        initialWatermark: 0,
        columns: { call_id: 'call_id', debtor_id: 'debtor_id', case_id: 'case_id', phone: 'phone', called_at: 'called_at', duration_s: 'duration_s', outcome: 'outcome', agent: 'agent' },
        checks: {},
      },
    ],
  };
}
