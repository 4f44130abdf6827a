/**
 * Calendar dates as `YYYY-MM-DD`, whichever way the driver returned them: the pg driver gives
 * strings, PGlite through knex may give Date objects at midnight.
 */
export function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const utcMidnight = value.getUTCHours() === 0 && value.getUTCMinutes() === 0;
    const y = utcMidnight ? value.getUTCFullYear() : value.getFullYear();
    const m = (utcMidnight ? value.getUTCMonth() : value.getMonth()) + 1;
    const d = utcMidnight ? value.getUTCDate() : value.getDate();
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return String(value).slice(0, 10);
}
