import { addDays, type IsoDate } from '../core/ids';

/**
 * As-of dates of the training snapshots: the first day of each month, newest first going back,
 * keeping only dates whose whole label horizon lies before `dataEnd` (so every label is known),
 * returned oldest first.
 */
export function trainingSnapshotDates(dataEnd: IsoDate, horizonDays: number, count: number): IsoDate[] {
  const lastUsable = addDays(dataEnd, -horizonDays);
  const dates: IsoDate[] = [];
  let year = Number(lastUsable.slice(0, 4));
  let month = Number(lastUsable.slice(5, 7));
  while (dates.length < count) {
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    if (first <= lastUsable) dates.push(first);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return dates.reverse();
}
