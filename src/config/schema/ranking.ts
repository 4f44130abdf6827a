import { z } from 'zod';

/** A calling team: its capacity for the day and the portfolio it works. */
export const teamSchema = z
  .object({
    id: z.string(),
    agents: z.number().int().positive(),
    /** Working hours, local time, `HH:MM-HH:MM`. */
    hours: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'must be HH:MM-HH:MM'),
    /** Minutes an agent spends on one call attempt, wrap-up included. */
    minutesPerCall: z.number().positive().default(6),
    /** Share of working time spent on outbound calls. */
    occupancy: z.number().min(0).max(1).default(0.8),
    portfolio: z
      .object({
        offices: z.array(z.string()).optional(),
        creditors: z.array(z.string()).optional(),
        legalStages: z.array(z.string()).optional(),
      })
      .prefault({}),
  })
  .strict();

/** Call-list construction: capacity, holdout and compliance. */
export const rankingSchema = z
  .object({
    teams: z.array(teamSchema).default([{ id: 'equipe-1', agents: 6, hours: '09:00-18:00', minutesPerCall: 6, occupancy: 0.8, portfolio: {} }]),
    holdout: z
      .object({
        /** Share of eligible debtors kept off the list as a control group. */
        share: z.number().min(0).max(0.5).default(0.05),
        /** Salt of the monthly hash that assigns the control group. */
        salt: z.string().default('relance-holdout'),
      })
      .prefault({}),
    /** Compliance rules; the shipped defaults follow French practice and US law. */
    compliance: z.record(z.string(), z.unknown()).default({}),
    /** Dialer targets the list is published to, besides `dialer.call_list`. */
    targets: z
      .array(
        z
          .object({
            kind: z.literal('vicidial'),
            url: z.string(),
            listId: z.number().int().positive(),
          })
          .strict(),
      )
      .default([]),
  })
  .prefault({});
