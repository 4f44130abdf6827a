/**
 * The lead's calendar (pure): why a date has no list, and when the team works from a stale list.
 */
import { leadCalendar, leadDay, isoWeekday, type CallingDays, type LeadDayRow } from '../../src/api/lead-calendar';

const FRANCE: CallingDays = { weekdays: [1, 2, 3, 4, 5], holidays: 'FR' };
const row = (listDate: string, patch: Partial<LeadDayRow> = {}): LeadDayRow => ({ listDate, listed: 0, published: false, markedStale: false, runId: null, runState: null, ...patch });

describe('lead calendar', () => {
  test('ISO weekdays: 2026-11-23 is a Monday, 2026-11-22 a Sunday', () => {
    expect([isoWeekday('2026-11-23'), isoWeekday('2026-11-22'), isoWeekday('2026-11-28')]).toEqual([1, 7, 6]);
  });

  test('an empty date says why: weekend, holiday (by name), failed, running, everyone excluded, upcoming, not run', () => {
    const today = '2026-11-26';
    expect(leadDay(row('2026-11-22'), FRANCE, today)).toMatchObject({ emptyReason: 'weekend', stale: false });
    expect(leadDay(row('2026-11-11'), FRANCE, today)).toMatchObject({ emptyReason: 'holiday', holiday: 'Armistice 1918', stale: false });
    expect(leadDay(row('2026-12-25'), FRANCE, today)).toMatchObject({ emptyReason: 'holiday', holiday: 'Noël' });
    expect(leadDay(row('2026-11-25', { runState: 'failed', runId: 'r' }), FRANCE, today)).toMatchObject({ emptyReason: 'run_failed', stale: true, staleReason: 'run_failed' });
    expect(leadDay(row('2026-11-26', { runState: 'running' }), FRANCE, today)).toMatchObject({ emptyReason: 'run_running', stale: false });
    expect(leadDay(row('2026-11-24', { published: true, runState: 'success' }), FRANCE, today)).toMatchObject({ emptyReason: 'all_excluded', stale: false });
    expect(leadDay(row('2026-11-27'), FRANCE, today)).toMatchObject({ emptyReason: 'upcoming', stale: false });
    expect(leadDay(row('2026-11-26'), FRANCE, today)).toMatchObject({ emptyReason: 'not_run', stale: true, staleReason: 'not_run' });
    expect(leadDay(row('2026-11-24', { listed: 40, published: true, markedStale: true }), FRANCE, today)).toMatchObject({ emptyReason: null, stale: true, staleReason: 'marked' });
    // A weekend's failed night does not leave anyone on a stale list: nobody calls.
    expect(leadDay(row('2026-11-22', { runState: 'failed' }), FRANCE, today)).toMatchObject({ emptyReason: 'weekend', stale: false });
  });

  test('every date of the window is present, newest first; a failed night is no longer stale once a later list exists', () => {
    const rows = [row('2026-11-24', { listed: 50, published: true }), row('2026-11-25', { runState: 'failed' }), row('2026-11-20', { runState: 'failed' })];
    const days = leadCalendar(rows, '2026-11-25', 7, FRANCE, '2026-11-25');
    expect(days.map((d) => d.listDate)).toEqual(['2026-11-25', '2026-11-24', '2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19']);
    expect(days.map((d) => d.emptyReason)).toEqual(['run_failed', null, 'not_run', 'weekend', 'weekend', 'run_failed', 'not_run']);
    expect(days.map((d) => d.stale)).toEqual([true, false, false, false, false, false, false]);
  });
});

describe('a list marked stale by its publication', () => {
  test('stays stale until a later list exists', () => {
    const rows = [row('2026-11-24', { listed: 50, published: true, markedStale: true }), row('2026-11-25', { runState: 'failed' })];
    expect(leadCalendar(rows, '2026-11-25', 2, FRANCE, '2026-11-25').map((d) => [d.listDate, d.staleReason])).toEqual([['2026-11-25', 'run_failed'], ['2026-11-24', 'marked']]);
    const later = [...rows, row('2026-11-26', { listed: 40, published: true })];
    expect(leadCalendar(later, '2026-11-26', 3, FRANCE, '2026-11-26').map((d) => d.stale)).toEqual([false, false, false]);
  });
});
