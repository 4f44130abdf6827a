import { z } from 'zod';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier');

/** Mapping from the office's column name to relance's raw column name. */
const headerMap = z.record(z.string(), identifier);

/** Date formats a source may write; tried in this order. */
export const DATE_FORMATS = ['DD/MM/YYYY', 'YYYY-MM-DD', 'DD-MM-YYYY', 'DD.MM.YYYY', 'DD/MM/YY'] as const;

/**
 * What a raw column must hold. Relance knows the contract of its own raw tables (`debtors`,
 * `cases`, `payments`, `calls`, `promises`, `phones`); these entries override or extend it.
 */
export const columnCheckSchema = z
  .object({
    /** How the value is read: text, date, timestamp (local), decimal amount, integer. */
    type: z.enum(['text', 'date', 'timestamp', 'decimal', 'integer']).optional(),
    /** Whether an empty value quarantines the row. */
    required: z.boolean().optional(),
    /** Allowed values (office codes); anything else quarantines the row. */
    values: z.array(z.string()).min(1).optional(),
    /** Smallest allowed value (amounts, integers). */
    min: z.number().optional(),
    /** Whether a date after the day of the load quarantines the row. */
    notFuture: z.boolean().optional(),
  })
  .strict();

/**
 * How fresh a source's exports must be; checked after extraction, before cleaning. A failure stops
 * the run before scoring, keeps the published list and marks it stale (docs/call-list.md).
 */
export const freshnessSchema = z
  .object({
    /** Whether the source is checked at all. @defaultValue true */
    enabled: z.boolean().default(true),
    /** The newest file of each table (CSV) or its watermark (SQL) must be younger than this. @defaultValue 26 */
    maxAgeHours: z.number().positive().default(26),
    /**
     * Rows of tonight's full load against the median of the table's last 7 full loads: below this
     * share the export collapsed. Incremental loads are compared only when their table sets its own
     * ratio, and then with incremental loads only. 0 turns the check off. @defaultValue 0.5
     */
    minRowsRatio: z.number().min(0).max(1).default(0.5),
    /**
     * Local time (`HH:MM`, office time zone) until which a missing drop folder is worth another try
     * of the extract task: the export may still arrive. Absent: a missing folder fails at once.
     */
    waitForExportUntil: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM').optional(),
  })
  .strict()
  .prefault({});

/** A table's own freshness bounds, over its source's. */
export const tableFreshnessSchema = z
  .object({
    /** Whether the table is checked. */
    enabled: z.boolean().optional(),
    /** Largest age of the table's newest file or watermark, in hours. */
    maxAgeHours: z.number().positive().optional(),
    /** Smallest ratio of tonight's rows to the median of the last 7 loads of the same mode. */
    minRowsRatio: z.number().min(0).max(1).optional(),
  })
  .strict();

/** Whether a table's loads hold the whole table or only new and changed rows. */
export const loadModeSchema = z.enum(['full', 'incremental']);

/** One table of a CSV drop: which file, how it is written, how its columns map. */
export const csvTableSchema = z
  .object({
    /** Target table in the `raw` schema (`debtors`, `cases`, `payments`, `calls`, `promises`, `phones`). */
    table: identifier,
    /** File name or glob (`*`, `?`) inside the drop folder; every match is loaded. */
    file: z.string().min(1),
    /** Office column name → relance raw column name. Office columns not listed are ignored. */
    columns: headerMap,
    /** Raw columns that must be present in the header. @defaultValue every mapped column */
    required: z.array(identifier).optional(),
    /** Raw columns whose values identify a row; a later row with the same key is quarantined. @defaultValue the contract's key */
    key: z.array(identifier).optional(),
    /** Column checks over the built-in contract of the raw table. */
    checks: z.record(identifier, columnCheckSchema).default({}),
    /**
     * `full`: each file is the whole table; `incremental`: each file holds only the new and changed
     * rows (a daily payments file). The first load of a table counts as full either way.
     * @defaultValue 'full'
     */
    mode: loadModeSchema.default('full'),
    /** Freshness bounds of this table over the source's. */
    freshness: tableFreshnessSchema.optional(),
  })
  .strict();

/** A folder where an office drops CSV exports. */
export const csvSourceSchema = z
  .object({
    kind: z.literal('csv'),
    /** Unique name of the source, used in lineage columns and task ids. */
    name: z.string().regex(/^[a-z0-9_-]+$/, 'must be lower-case letters, digits, - or _'),
    /** Folder (relative to the working directory) holding the export files. */
    dir: z.string().min(1),
    /** Character encoding of the files; a UTF-8 byte-order mark is always accepted. @defaultValue 'utf8' */
    encoding: z.enum(['utf8', 'latin1', 'windows1252']).default('utf8'),
    /** Field delimiter. @defaultValue ';' */
    delimiter: z.string().length(1).refine((d) => d !== '\n' && d !== '\r', 'must not be a line break').default(';'),
    /** Quote character. @defaultValue '"' */
    quote: z.string().length(1).default('"'),
    /** Whether amounts use a decimal comma (`1 234,56`); `1234.56` is accepted either way. @defaultValue true */
    decimalComma: z.boolean().default(true),
    /** Accepted date formats (timestamps are a date, a space and `HH:MM[:SS]`). */
    dateFormats: z.array(z.enum(DATE_FORMATS)).min(1).default(['DD/MM/YYYY', 'YYYY-MM-DD', 'DD-MM-YYYY']),
    /** Largest record, in characters, before the file is refused (an unclosed quote swallows the file). @defaultValue 33554432 */
    maxRecordChars: z.number().int().positive().default(32 * 1024 * 1024),
    /** How fresh tonight's files must be. */
    freshness: freshnessSchema,
    tables: z.array(csvTableSchema).min(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.delimiter === s.quote) ctx.addIssue({ code: 'custom', path: ['quote'], message: 'must differ from the delimiter' });
  });

/** A table pulled from an office's case-management database through knex. */
export const sqlTableSchema = z
  .object({
    /** Target table in the `raw` schema. */
    table: identifier,
    /**
     * SELECT run against the office database; `:watermark` is bound to the last value pulled and
     * must be compared with `>=` (rows already pulled are skipped; `>` would lose the rows committed
     * later with the same value).
     */
    query: z.string().min(1).refine((q) => !/>\s*:watermark\b/.test(q), 'must compare the watermark with >= :watermark, not > (rows sharing the last watermark would be lost)'),
    /** Column of the query's result whose increase marks new or changed rows. */
    watermarkColumn: z.string().optional(),
    /**
     * What the watermark holds, for the freshness age: a local `timestamp` (or date) in the office
     * time zone, `epoch` seconds, or a `counter` (an id; not aged).
     * @defaultValue 'timestamp', or 'counter' when initialWatermark is a number
     */
    watermarkType: z.enum(['timestamp', 'epoch', 'counter']).optional(),
    /** Watermark bound on the first pull. @defaultValue '1970-01-01 00:00:00' */
    initialWatermark: z.union([z.string(), z.number()]).default('1970-01-01 00:00:00'),
    /** Result column → relance raw column; empty means the result's names are the raw names. */
    columns: headerMap.default({}),
    /** Raw columns whose values identify a row. @defaultValue the contract's key */
    key: z.array(identifier).optional(),
    /** Column checks over the built-in contract of the raw table. */
    checks: z.record(identifier, columnCheckSchema).default({}),
    /** Freshness bounds of this table over the source's. */
    freshness: tableFreshnessSchema.optional(),
  })
  .strict();

/** Replaces `${NAME}` in a text by the environment variable NAME (empty when unset). */
export function expandEnv(text: string, env: Record<string, string | undefined> = process.env): string {
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => env[name] ?? '');
}

/** An office's case-management database (Postgres, MySQL or MariaDB). */
export const sqlSourceSchema = z
  .object({
    kind: z.literal('sql'),
    name: z.string().regex(/^[a-z0-9_-]+$/, 'must be lower-case letters, digits, - or _'),
    /** knex client: `pg` for Postgres, `mysql2` for MySQL and MariaDB. */
    client: z.enum(['pg', 'mysql2']),
    /** Connection URL; `${ENV_VAR}` is replaced from the environment, so passwords stay out of the file. */
    url: z.string().min(1).transform((u) => expandEnv(u)),
    /** Whether amounts use a decimal comma. @defaultValue false */
    decimalComma: z.boolean().default(false),
    /** Accepted date formats of text values (dates come as `YYYY-MM-DD`). */
    dateFormats: z.array(z.enum(DATE_FORMATS)).min(1).default(['YYYY-MM-DD']),
    /** How fresh each table's watermark must be. */
    freshness: freshnessSchema,
    tables: z.array(sqlTableSchema).min(1),
  })
  .strict();

/** A source, CSV drop or office database, told apart by `kind`. */
export const sourceSchema = z.discriminatedUnion('kind', [csvSourceSchema, sqlSourceSchema]);
/** The `sources:` section: every source extracted by the nightly DAG; names are unique. */
export const sourcesSchema = z
  .array(sourceSchema)
  .default([])
  .superRefine((sources, ctx) => {
    const seen = new Set<string>();
    sources.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate source name ${s.name}` });
      seen.add(s.name);
    });
  });

/** Data-quality checks run after cleaning; a failure stops the run before scoring and publication. */
export const qualitySchema = z
  .object({
    /** Largest allowed relative change of a raw table's loaded rows against its previous load. @defaultValue 0.5 */
    maxRowCountChange: z.number().positive().default(0.5),
    /** Largest allowed share of nulls, per `table.column` of `clean.*`. */
    maxNullRate: z.record(z.string().regex(/^[a-z_]+\.[a-z_0-9]+$/, 'must be table.column'), z.number().min(0).max(1)).default({}),
    /** Largest allowed share of orphan rows (payments of an unknown case, …) per clean table. @defaultValue 0.01 */
    maxOrphanRate: z.number().min(0).max(1).default(0.01),
    /** Largest allowed share of quarantined rows per load. @defaultValue 0.05 */
    maxQuarantineRate: z.number().min(0).max(1).default(0.05),
    /** Smallest number of debtors `clean.debtors` must hold. @defaultValue 1 */
    minDebtors: z.number().int().nonnegative().default(1),
  })
  .prefault({});

/** A configured source, CSV or SQL. */
export type SourceConfig = z.infer<typeof sourceSchema>;
/** A CSV drop source. */
export type CsvSourceConfig = z.infer<typeof csvSourceSchema>;
/** An office database source. */
export type SqlSourceConfig = z.infer<typeof sqlSourceSchema>;
/** Checks of one raw column. */
export type ColumnCheck = z.infer<typeof columnCheckSchema>;
/** Freshness bounds of a source. */
export type FreshnessConfig = z.infer<typeof freshnessSchema>;
/** A table's own freshness bounds. */
export type TableFreshnessConfig = z.infer<typeof tableFreshnessSchema>;
/** The quality checks. */
export type QualityConfig = z.infer<typeof qualitySchema>;
