import { z } from 'zod';
import { alertsSchema } from './dags';

/** HTTP API and dashboard. */
export const apiSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Public address printed for people (defaults to http://host:port). */
    publicUrl: z.string().optional(),
    /** Minutes an agent holds a debtor of the call room without logging a call; then it returns to the pool. */
    claimMinutes: z.number().int().min(1).max(480).default(15),
  })
  .prefault({});

/** Drift and realised-performance monitoring. */
export const monitoringSchema = z
  .object({
    /** Share of drifted features from which the dataset counts as drifted. */
    driftShare: z.number().min(0).max(1).default(0.5),
    /**
     * Most rows of tonight's snapshot compared with the reference: a larger office is compared on a
     * fixed uniform sample of this size (the reference sample is 5,000 rows). @defaultValue 200000
     */
    driftMaxRows: z.number().int().positive().default(200_000),
    /** Realised AUC under which an alert is raised. */
    realisedAucFloor: z.number().min(0.5).max(1).default(0.65),
    alerts: alertsSchema,
  })
  .prefault({});
