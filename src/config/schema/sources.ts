import { z } from 'zod';

/** Mapping from the office's column name to relance's raw column name. */
const headerMap = z.record(z.string(), z.string());

/** One table of a CSV drop: which file, how it is written, how its columns map. */
export const csvTableSchema = z
  .object({
    /** Target table in the `raw` schema (`debtors`, `cases`, `payments`, `calls`, `promises`, `phones`). */
    table: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier'),
    /** File name or glob inside the drop folder. */
    file: z.string(),
    /** Office column name → relance raw column name. */
    columns: headerMap,
    /** Raw columns that must be present in the header. Defaults to every mapped column. */
    required: z.array(z.string()).optional(),
    /** Raw columns whose values identify a row (duplicates are quarantined). */
    key: z.array(z.string()).default([]),
  })
  .strict();

/** A folder where an office drops CSV exports. */
export const csvSourceSchema = z
  .object({
    kind: z.literal('csv'),
    /** Unique name of the source, used in lineage columns and task ids. */
    name: z.string().regex(/^[a-z0-9_-]+$/, 'must be lower-case letters, digits, - or _'),
    /** Folder (relative to the working directory) holding the export files. */
    dir: z.string(),
    encoding: z.enum(['utf8', 'latin1', 'windows1252']).default('utf8'),
    delimiter: z.string().length(1).default(';'),
    quote: z.string().length(1).default('"'),
    /** Whether amounts use a decimal comma (`1 234,56`). */
    decimalComma: z.boolean().default(true),
    /** Accepted date formats, tried in order. */
    dateFormats: z.array(z.enum(['DD/MM/YYYY', 'YYYY-MM-DD', 'DD-MM-YYYY', 'DD.MM.YYYY', 'DD/MM/YY'])).default(['DD/MM/YYYY', 'YYYY-MM-DD', 'DD-MM-YYYY']),
    tables: z.array(csvTableSchema).min(1),
  })
  .strict();

/** A table pulled from an office's case-management database through knex. */
export const sqlTableSchema = z
  .object({
    table: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier'),
    /** SELECT run against the office database (bound parameter `:watermark`). */
    query: z.string(),
    /** Column whose increase marks new or changed rows. */
    watermarkColumn: z.string().optional(),
    columns: headerMap.default({}),
    key: z.array(z.string()).default([]),
  })
  .strict();

export const sqlSourceSchema = z
  .object({
    kind: z.literal('sql'),
    name: z.string().regex(/^[a-z0-9_-]+$/, 'must be lower-case letters, digits, - or _'),
    /** knex client: `pg`, `mysql2`. */
    client: z.enum(['pg', 'mysql2']),
    /** Connection URL; `${ENV_VAR}` is replaced from the environment. */
    url: z.string(),
    tables: z.array(sqlTableSchema).min(1),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('kind', [csvSourceSchema, sqlSourceSchema]);
export const sourcesSchema = z.array(sourceSchema).default([]);

/** Data-quality checks run after cleaning; a failure stops the run before publication. */
export const qualitySchema = z
  .object({
    /** Largest allowed relative change of a clean table's row count against the previous load. */
    maxRowCountChange: z.number().positive().default(0.5),
    /** Largest allowed share of nulls, per `table.column`. */
    maxNullRate: z.record(z.string(), z.number().min(0).max(1)).default({}),
    /** Largest allowed share of orphan rows (payments without a case, …). */
    maxOrphanRate: z.number().min(0).max(1).default(0.01),
  })
  .prefault({});
