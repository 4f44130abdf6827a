import { z } from 'zod';

/** Per-DAG settings the IT team may change without touching code. */
export const dagSettingsSchema = z
  .object({
    /** Cron expression (5 fields, minute first) read in the DAG's time zone. */
    schedule: z.string().optional(),
    /** Time zone of the schedule; defaults to the global `timezone`. */
    timezone: z.string().optional(),
    /** Whether missed intervals are run when the scheduler starts. */
    catchup: z.boolean().optional(),
    /** Whether the scheduler creates runs for this DAG. */
    paused: z.boolean().default(false),
    /** Default retries of the DAG's tasks after their first try; a task that declares its own keeps them. */
    retries: z.number().int().nonnegative().optional(),
    /** Local time (HH:MM) by which a run must have finished, else an alert is raised. */
    deadline: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM')
      .optional(),
  })
  .strict();

export const dagsSchema = z.record(z.string(), dagSettingsSchema).default({});

/** Alerting targets (missed deadlines, failed checks, drift). */
export const alertsSchema = z
  .object({
    /** URL that receives a JSON POST per alert; none by default. */
    webhookUrl: z.string().url().optional(),
  })
  .prefault({});
