/**
 * Builds the one statement that moves a staged load into its raw table: every staged row is
 * checked against the table's contract in SQL; failures go to `quarantine.rows` verbatim with the
 * first reason found, the rest to `raw.<table>` with their lineage. Pure: returns SQL text whose
 * only parameters are `:load_id`, `:source`, `:table`, `:file`, `:today` and `:delim`.
 */
import type { ColumnContract, TableContract } from './contracts';

/** The staging table a load COPYs into (temporary, dropped at commit). */
export const STAGE_TABLE = 'pg_temp.elt_stage';

/** What the validation statement needs to know about a load. */
export interface ValidationPlan {
  contract: TableContract;
  /** Number of fields the staged rows have (`f1 … fK`). */
  width: number;
  /** 1-based staging field holding each contract column; absent columns load as null. */
  fieldOf: Readonly<Record<string, number>>;
  /** Accepted date formats. */
  dateFormats: readonly string[];
  decimalComma: boolean;
  /** Every column of the raw table (the contract's and any the source adds). */
  rawColumns: readonly string[];
}

/** `create temp table` for a staging table of `width` text fields. */
export function stageTableSql(width: number): string {
  const fields = Array.from({ length: width }, (_, i) => `f${i + 1} text`).join(', ');
  return `create temp table elt_stage (line_no bigint not null, nfields integer not null, raw text, ${fields}) on commit drop`;
}

/** `copy … from stdin` into the staging table (COPY text format). */
export function stageCopySql(width: number): string {
  const fields = Array.from({ length: width }, (_, i) => `f${i + 1}`).join(', ');
  return `copy ${STAGE_TABLE} (line_no, nfields, raw, ${fields}) from stdin`;
}

/** A SQL string literal; `?` is escaped since knex reads a bare one as a positional parameter. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''").replace(/\?/g, '\\?').replace(/:(?=\w)/g, '\\:')}'`;
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return name;
}

/** Whether a column of this type is parsed into a typed value (and can fail to parse). */
function isTyped(c: ColumnContract): boolean {
  return c.type === 'date' || c.type === 'timestamp' || c.type === 'decimal' || c.type === 'integer';
}

/**
 * The typed value of column `i` (null when unreadable), from the columns of the level below: its
 * trimmed text `v{i}` and, for a timestamp, its date and time parts `d{i}` and `h{i}`. The parsers
 * are SQL functions that Postgres inlines, repeating their argument at every use: arguments are
 * therefore plain column references, each computed once a level below.
 */
function typedExpr(c: ColumnContract, i: number, from: string, plan: ValidationPlan): string {
  const formats = `array[${plan.dateFormats.map(literal).join(', ')}]`;
  const v = `${from}.v${i}`;
  switch (c.type) {
    case 'date':
      return `raw.parse_date(${v}, ${formats})`;
    case 'timestamp':
      // raw.parse_timestamp(v) is parse_date(split_part(v, ' ', 1)) + parse_time(substr(v, strpos(v, ' ') + 1)).
      return `raw.parse_date(${from}.d${i}, ${formats}) + raw.parse_time(${from}.h${i})`;
    case 'decimal':
      return `raw.parse_decimal(${v}, ${plan.decimalComma ? 'true' : 'false'})`;
    default:
      return `case when ${v} ~ '^-{0,1}[0-9]{1,9}$' then cast(${v} as integer) end`;
  }
}

const INVALID: Record<ColumnContract['type'], string> = {
  text: 'invalid_value',
  date: 'invalid_date',
  timestamp: 'invalid_timestamp',
  decimal: 'invalid_amount',
  integer: 'invalid_integer',
};

/** The full validate-and-load statement of a plan. */
export function validationSql(plan: ValidationPlan): string {
  const { contract, width } = plan;
  const cols = contract.columns;
  const trimmed: string[] = [];
  const parts: string[] = [];
  const parsed: string[] = [];
  const faults: string[] = [`when s.nfields <> ${width} then 'wrong_field_count'`];
  const rangeFaults: string[] = [];
  const output = new Map<string, string>();
  cols.forEach((c, i) => {
    const field = plan.fieldOf[c.name];
    const v = `v${i}`;
    trimmed.push(field === undefined ? `cast(null as text) as ${v}` : `nullif(btrim(s.f${field}), '') as ${v}`);
    parsed.push(`q.${v}`);
    const typed = isTyped(c) && field !== undefined;
    if (typed && c.type === 'timestamp') parts.push(`split_part(r.${v}, ' ', 1) as d${i}`, `substr(r.${v}, strpos(r.${v}, ' ') + 1) as h${i}`);
    if (typed) parsed.push(`${typedExpr(c, i, 'q', plan)} as t${i}`);
    output.set(c.name, typed ? `cast(p.t${i} as text)` : `p.${v}`);
  });
  const faultParts: string[] = [];
  cols.forEach((c, i) => {
    if (c.required) faultParts.push(`when p.v${i} is null then 'missing_value ${c.name}'`);
  });
  cols.forEach((c, i) => {
    const hasTyped = isTyped(c) && plan.fieldOf[c.name] !== undefined;
    if (hasTyped) faultParts.push(`when p.v${i} is not null and p.t${i} is null then '${INVALID[c.type]} ${c.name}'`);
    if (c.values) faultParts.push(`when p.v${i} not in (${c.values.map(literal).join(', ')}) then 'invalid_value ${c.name}'`);
    if (hasTyped && c.min !== undefined && (c.type === 'decimal' || c.type === 'integer')) {
      rangeFaults.push(`when p.t${i} < ${Number(c.min)} then '${c.min === 0 && c.type === 'decimal' ? 'negative_amount' : 'out_of_range'} ${c.name}'`);
    }
    if (hasTyped && c.notFuture && (c.type === 'date' || c.type === 'timestamp')) {
      rangeFaults.push(`when cast(p.t${i} as date) > cast(:today as date) then 'future_date ${c.name}'`);
    }
  });
  const fieldList = Array.from({ length: width }, (_, i) => `s.f${i + 1}`);
  const keyIdx = contract.key.map((k) => cols.findIndex((c) => c.name === k)).filter((i) => i >= 0);
  const reason = keyIdx.length
    ? `case when f.fault is null and row_number() over (partition by f.fault is null, ${keyIdx.map((i) => `f.v${i} collate "C"`).join(', ')} order by f.line_no) > 1
        then 'duplicate_key ${contract.key[0]}' else f.fault end`
    : 'f.fault';
  const rawCols = plan.rawColumns.map(ident);
  const select = rawCols.map((c) => output.get(c) ?? 'cast(null as text)');
  // Three levels, each fenced by `offset 0` so that Postgres computes its values once per row
  // instead of repeating them wherever the level above reads them: the trimmed texts, then the
  // date and time parts of timestamps, then the typed values that the fault checks and the
  // output read. `d` is materialized once and read by both inserts.
  const split = parts.length > 0 ? `select r.*, ${parts.join(', ')} from (${'\n'}      ` : '';
  const splitEnd = parts.length > 0 ? `${'\n'}      ) r offset 0` : '';
  return `with f as (
  select p.*, case ${faults.map((x) => x.replace('s.nfields', 'p.nfields')).join(' ')}
    ${faultParts.join('\n    ')}
    ${rangeFaults.join('\n    ')}
  end as fault
  from (
    select q.line_no, q.nfields,
      ${parsed.join(',\n      ')}
    from (
      ${split}select s.line_no, s.nfields,
        ${trimmed.join(',\n        ')}
      from ${STAGE_TABLE} s
      offset 0${splitEnd}
    ) q
    offset 0
  ) p
),
d as (
  select f.*, ${reason} as reason from f
),
q as (
  insert into quarantine.rows (load_id, source, table_name, file, line, reason, field, raw_record)
  select :load_id, :source, :table, :file, d.line_no, split_part(d.reason, ' ', 1), nullif(split_part(d.reason, ' ', 2), ''),
    coalesce(s.raw, concat_ws(:delim, ${fieldList.join(', ')}))
  from d join ${STAGE_TABLE} s on s.line_no = d.line_no
  where d.reason is not null
  returning 1
),
l as (
  insert into raw.${ident(contract.table)} (${rawCols.join(', ')}, _load_id, _source, _file, _row_number)
  select ${select.map((e) => e.replace(/\bp\./g, 'd.')).join(', ')}, :load_id, :source, :file, d.line_no
  from d where d.reason is null
  returning 1
)
select (select count(*) from q) as quarantined, (select count(*) from l) as loaded, (select count(*) from d) as staged`;
}
