import { z } from 'zod';

const hhmmRange = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM-HH:MM')
  .refine((s) => s.slice(0, 5) < s.slice(6), 'must end after it starts');

/** A calling team: its capacity for the day and the portfolio it works. */
export const teamSchema = z
  .object({
    id: z.string().min(1),
    /** Agents on the phone that day. */
    agents: z.number().int().positive(),
    /** Working hours, `HH:MM-HH:MM`, in the team's time zone. */
    hours: hhmmRange,
    /** IANA time zone of the team's hours. @defaultValue the top-level `timezone` */
    timeZone: z.string().optional(),
    /** Minutes an agent spends on a call that reaches the debtor, wrap-up included. @defaultValue 6 */
    minutesPerCall: z.number().positive().default(6),
    /** Minutes an agent spends on an attempt that reaches no one (ringing, voicemail, notes). @defaultValue 1.5 */
    minutesPerAttempt: z.number().positive().default(1.5),
    /** Share of working time spent on outbound calls. @defaultValue 0.8 */
    occupancy: z.number().min(0).max(1).default(0.8),
    /** What the team works; an absent list means every value. */
    portfolio: z
      .object({
        offices: z.array(z.string()).optional(),
        creditors: z.array(z.string()).optional(),
        /** Legal stages of clean.cases (`amicable`, `injunction`, `enforceable_title`, `seizure`). */
        legalStages: z.array(z.string()).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/**
 * The calling rules of one jurisdiction. Every debtor is judged by the regime of its country
 * (`clean.debtors.country`), in its own time zone (`clean.debtors.time_zone`).
 */
export const complianceRegimeSchema = z
  .object({
    /** ISO weekdays on which calls are allowed (1 Monday … 7 Sunday). @defaultValue every day */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5, 6, 7]),
    /** Allowed local calling hours, `HH:MM-HH:MM`. @defaultValue '08:00-21:00' */
    hours: hhmmRange.default('08:00-21:00'),
    /** Public-holiday calendar on which no call is made (`FR`: the `date-holidays` calendar of the debtor's region, read from its postal code; metropolitan when unknown), or `none`. @defaultValue 'none' */
    holidays: z.enum(['none', 'FR']).default('none'),
    /** Frequency caps per debt (Regulation F, 12 CFR 1006.14(b)(2)). */
    frequency: z
      .object({
        /** Largest number of attempts in any `periodDays` consecutive days. @defaultValue 7 */
        maxAttempts: z.number().int().positive().default(7),
        /** Length of the attempt-counting period, days. @defaultValue 7 */
        periodDays: z.number().int().positive().default(7),
        /** Days, counting the day of the conversation, without calls after a conversation. @defaultValue 7 */
        quietDaysAfterConversation: z.number().int().nonnegative().default(7),
      })
      .strict()
      .prefault({}),
    /** Legal stages in which calls stop. @defaultValue ['over_indebtedness', 'closed'] */
    stopLegalStages: z.array(z.string()).default(['over_indebtedness', 'closed']),
    /** Whether a debtor with a disputed open case is not called. @defaultValue true */
    excludeDisputed: z.boolean().default(true),
  })
  .strict();

const FRANCE = { weekdays: [1, 2, 3, 4, 5], hours: '08:00-20:00', holidays: 'FR' } as const;
const UNITED_STATES = { weekdays: [1, 2, 3, 4, 5, 6, 7], hours: '08:00-21:00', holidays: 'none' } as const;

/** Compliance: which regime applies to whom. */
export const complianceSchema = z
  .object({
    /** Country code → regime. @defaultValue FR and US, see docs/call-list.md */
    regimes: z.record(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code'), complianceRegimeSchema).default({ FR: complianceRegimeSchema.parse(FRANCE), US: complianceRegimeSchema.parse(UNITED_STATES) }),
    /** Regime of debtors whose country has none. @defaultValue 'FR' */
    defaultRegime: z.string().default('FR'),
  })
  .strict()
  .prefault({})
  .superRefine((c, ctx) => {
    if (!(c.defaultRegime in c.regimes)) ctx.addIssue({ code: 'custom', path: ['defaultRegime'], message: `names no regime (have ${Object.keys(c.regimes).join(', ')})` });
  });

/** Call-list construction: expected value, best time to call, capacity, holdout and compliance. */
export const rankingSchema = z
  .object({
    teams: z
      .array(teamSchema)
      .min(1)
      .default([{ id: 'equipe-1', agents: 6, hours: '09:00-18:00', minutesPerCall: 6, minutesPerAttempt: 1.5, occupancy: 0.8, portfolio: {} }])
      .superRefine((teams, ctx) => {
        const seen = new Set<string>();
        teams.forEach((t, i) => {
          if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate team id ${t.id}` });
          seen.add(t.id);
        });
      }),
    /**
     * What orders the list. `uplift`: priority = P(contact in the window) × the recovery a call
     * adds (P(pay if called) − P(pay if not called), learned from the office's history by the
     * retrain, × the expected amount) / expected agent minutes. `propensity`: the ordering before
     * uplift, P(contact) × P(pay) × expected amount / expected minutes. Under `uplift`, a night
     * without an uplift model yet (a new office before its first retrain) falls back to
     * `propensity`, says so in the publication's note and raises a warning alert.
     * See docs/call-list.md. @defaultValue 'uplift'
     */
    objective: z.enum(['uplift', 'propensity']).default('uplift'),
    /** Expected amount of a payment. */
    amount: z
      .object({
        /** Share of the balance expected from a debtor without promise or payment when no debtor of the night has paid before. @defaultValue 0.25 */
        firstPaymentShare: z.number().min(0).max(1).default(0.25),
      })
      .strict()
      .prefault({}),
    /** Best time to call. */
    contact: z
      .object({
        /** Length of the recommended calling window, hours. @defaultValue 2 */
        windowHours: z.number().int().min(1).max(12).default(2),
        /** Days of call history the contact rates learn from. @defaultValue 365 */
        historyDays: z.number().int().positive().default(365),
      })
      .strict()
      .prefault({}),
    holdout: z
      .object({
        /** Share of eligible debtors kept off the list as a control group. @defaultValue 0.05 */
        share: z.number().min(0).max(0.5).default(0.05),
        /** Salt of the monthly hash that assigns the control group. @defaultValue 'relance-holdout' */
        salt: z.string().default('relance-holdout'),
      })
      .strict()
      .prefault({}),
    /**
     * Debtors whose score is explained (exact TreeSHAP) at publication besides the listed ones:
     * this many of the deferred and of the control group, highest priority first. Others are
     * explained on demand when the dashboard opens them. @defaultValue 500
     */
    explainHead: z.number().int().min(0).default(500),
    /** Compliance rules; the shipped defaults follow French practice and US law. */
    compliance: complianceSchema,
    /** Dialer targets the list is published to, besides `dialer.call_list`. */
    targets: z
      .array(
        z
          .object({
            kind: z.literal('vicidial'),
            /** MariaDB/MySQL URL of the VICIdial database (`mysql://user:password@host:3306/asterisk`). */
            url: z.string(),
            /** `vicidial_list.list_id` the call list is written to (replaced at each publication). */
            listId: z.number().int().positive(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .prefault({});

/** One calling team. */
export type TeamConfig = z.infer<typeof teamSchema>;
/** The calling rules of one jurisdiction. */
export type ComplianceRegime = z.infer<typeof complianceRegimeSchema>;
/** Compliance regimes. */
export type ComplianceConfig = z.infer<typeof complianceSchema>;
/** The ranking section of the configuration. */
export type RankingConfig = z.infer<typeof rankingSchema>;
/** What orders the list. */
export type RankingObjective = RankingConfig['objective'];
/** A dialer target. */
export type DialerTarget = RankingConfig['targets'][number];
