/**
 * What an agent sends when logging a call, validated with zod: the first problem becomes a
 * `ValidationError` naming the field (`promiseAmount`), which the API answers with a 400.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors';

/** The outcomes of a call, as the call room records them. */
export const CALL_OUTCOMES = ['no_answer', 'busy', 'wrong_number', 'third_party', 'promise', 'refusal', 'dispute', 'do_not_call', 'callback'] as const;

/** One outcome of a call. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date');

/** The body of `POST /api/outcomes`. */
export const outcomeInputSchema = z
  .object({
    /** Chosen by the page once per call: sending the same key twice stores one row. */
    idempotencyKey: z.string().min(8).max(100),
    debtorId: z.string().min(1).max(200),
    outcome: z.enum(CALL_OUTCOMES),
    /** The list the call was made from. @defaultValue the latest published list */
    listDate: isoDay.optional(),
    /** The case a promise or dispute concerns. @defaultValue the debtor's largest open case */
    caseId: z.string().min(1).max(200).optional(),
    promiseAmount: z.number().positive().max(10_000_000).optional(),
    promiseDueOn: isoDay.optional(),
    callbackAt: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome === 'promise') {
      if (v.promiseAmount === undefined) ctx.addIssue({ code: 'custom', path: ['promiseAmount'], message: 'is required for a promise' });
      if (v.promiseDueOn === undefined) ctx.addIssue({ code: 'custom', path: ['promiseDueOn'], message: 'is required for a promise' });
    }
    if (v.outcome === 'callback' && v.callbackAt === undefined) ctx.addIssue({ code: 'custom', path: ['callbackAt'], message: 'is required for a callback' });
  });

/** A validated outcome. */
export type OutcomeInput = z.infer<typeof outcomeInputSchema>;

/** Validates a request body; throws a `ValidationError` whose `context.field` names the first bad field. */
export function parseOutcomeInput(body: unknown): OutcomeInput {
  const result = outcomeInputSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.join('.');
  const name = field || 'body';
  throw new ValidationError(`${name}: ${issue?.message ?? 'invalid'}`, { context: { field: name } });
}
