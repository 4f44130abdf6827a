/**
 * Generation of one exported debtor from (seed, index): identity, cases, history, ground truth and
 * horizon outcomes. Pure: it touches no file, and depends on no other debtor's draws.
 */
import type { Calendar } from './calendar';
import { CaseStatus, cloneDebtor, drawDebtor, type DebtorState } from './debtor';
import { drawPerson, type Person } from './person';
import type { ShiftSpec } from './shift';
import { newRecords, simulateDays, type Records } from './simulate';
import { Stream, streamRng, streamUniform } from './streams';
import { groundTruth, upliftTruth, type Truth, type UpliftTruth } from './truth';

/** Share of records that are the second office's copy of the previous record's person. */
export const TWIN_RATE = 0.01;

/** What the generation needs to know. */
export interface GenerationContext {
  seed: number;
  offices: number;
  cal: Calendar;
  shift: ShiftSpec;
  horizonDays: number;
}

/** One generated debtor. */
export interface GeneratedDebtor {
  /** State as of the start of the export date (before the horizon simulation). */
  state: DebtorState;
  /** What happened before the export date. */
  history: Records;
  /** Whether at least one case is open (EN_COURS) in the export. */
  open: boolean;
  truth: Truth;
  /** The list date's counterfactuals: called once in the recommended window, or not called. */
  uplift: UpliftTruth;
  /** What happened in the horizon after the export date (empty when horizonDays is 0). */
  future: Records;
  /** Whether this record is the same person as the previous record, under another office. */
  twin: boolean;
}

/** Whether record `index` is the second office's copy of record `index - 1`'s person. */
export function isTwin(seed: number, index: number, offices: number): boolean {
  if (offices < 2 || index === 0) return false;
  const drawn = (i: number): boolean => streamUniform(seed, i, Stream.twin) < TWIN_RATE;
  return drawn(index) && !(index > 1 && drawn(index - 1));
}

function personOf(ctx: GenerationContext, index: number): Person {
  const year = ctx.cal.year[ctx.cal.asOfIndex] as number;
  return drawPerson(streamRng(ctx.seed, index, Stream.person), ctx.cal.months, ctx.offices, year, ctx.shift);
}

/** Generates debtor `index`. */
export function generateDebtor(ctx: GenerationContext, index: number): GeneratedDebtor {
  const twin = isTwin(ctx.seed, index, ctx.offices);
  const person = personOf(ctx, twin ? index - 1 : index);
  const office = (person.office + (twin ? 1 : 0)) % ctx.offices;
  const state = drawDebtor(streamRng(ctx.seed, index, Stream.debtor), index, office, person, ctx.cal, ctx.shift);
  const history = newRecords();
  simulateDays(state, state.firstOpenDay, ctx.cal.asOfIndex, ctx.cal, streamRng(ctx.seed, index, Stream.history), history);
  const open = state.cases.some((c) => c.status === CaseStatus.Open);
  const truth = groundTruth(state, ctx.cal);
  const uplift = upliftTruth(state, ctx.cal);
  const future = newRecords();
  if (ctx.horizonDays > 0) {
    // The horizon continues from a copy so that `state` stays as exported.
    const after = cloneDebtor(state);
    after.pendingRecord = -1;
    const start = ctx.cal.asOfIndex;
    simulateDays(after, start, start + ctx.horizonDays, ctx.cal, streamRng(ctx.seed, index, Stream.future), future);
  }
  return { state, history, open, truth, uplift, future, twin };
}
