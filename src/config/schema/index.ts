import { z } from 'zod';
import { dagsSchema } from './dags';
import { sourcesSchema, qualitySchema } from './sources';
import { scoringSchema } from './scoring';
import { rankingSchema } from './ranking';
import { apiSchema, monitoringSchema } from './api';

/**
 * The whole relance configuration. Each part has its own file; every field has a default so
 * that an empty `config/relance.yaml` still gives a runnable product.
 */
export const configSchema = z
  .object({
    /** IANA time zone of the office: schedules, list dates and deadlines are read in it. */
    timezone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris')
      .default('Europe/Paris'),
    /**
     * Locale of the office: the dashboard's default language and the format of numbers, dates and
     * the CLI's tables (`fr-FR`: `1 234,56 €`, `04/12/2026`).
     * @defaultValue fr-FR
     */
    locale: z
      .string()
      .refine(isLocale, 'must be a BCP 47 locale such as fr-FR or en-GB')
      .default('fr-FR'),
    /** Where relance keeps its embedded database and working files. */
    home: z.string().default('.relance'),
    database: z
      .object({
        /** Postgres connection URL; when absent relance uses embedded PGlite under `home`. */
        url: z.string().optional(),
        /** Pool size for Postgres. */
        poolMax: z.number().int().positive().default(10),
      })
      .prefault({}),
    redis: z
      .object({
        /** Redis URL for the BullMQ executor; when absent tasks run inline, in-process. */
        url: z.string().optional(),
        /** Prefix of every BullMQ key. */
        prefix: z.string().default('relance'),
      })
      .prefault({}),
    orchestrator: z
      .object({
        /**
         * Lease of a running try, in ms: the process running it renews it every quarter of this
         * (in Postgres time); once it has expired the scheduler fails or retries the try.
         */
        leaseMs: z.number().int().min(1000).default(20_000),
      })
      .prefault({}),
    log: z
      .object({
        level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
        json: z.boolean().default(false),
      })
      .prefault({}),
    dags: dagsSchema,
    sources: sourcesSchema,
    quality: qualitySchema,
    scoring: scoringSchema,
    ranking: rankingSchema,
    monitoring: monitoringSchema,
    api: apiSchema,
  })
  .strict();

/** The validated configuration, as the rest of relance sees it (deeply frozen). */
export type RelanceConfig = z.infer<typeof configSchema>;
/** The configuration as written in YAML, before defaults. */
export type RelanceConfigInput = z.input<typeof configSchema>;

/** True for a time zone name the runtime knows (IANA database). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** True for a locale tag the runtime can format with. */
export function isLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}
