import { localIsoDate } from '../dag';
import { isIsoDate, type IsoDate } from '../core/ids';
import { ValidationError } from '../core/errors';

/**
 * The date of the call list a run publishes: the local date on which its data interval ends.
 * The nightly run with logical date 23 November covers the day of the 23rd, starts at 02:00 on
 * the 24th, and publishes the list the team calls on the 24th. `conf.list_date` overrides it.
 */
export function listDateOf(ctx: { dataInterval: { end: Date }; conf: Readonly<Record<string, unknown>> }, timeZone: string): IsoDate {
  const override = ctx.conf.list_date;
  if (override !== undefined) {
    if (typeof override !== 'string' || !isIsoDate(override)) throw new ValidationError(`conf.list_date must be a date YYYY-MM-DD (got ${JSON.stringify(override)})`, { context: { field: 'list_date' } });
    return override;
  }
  return localIsoDate(ctx.dataInterval.end, timeZone);
}
