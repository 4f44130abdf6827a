/**
 * The LIKE/ILIKE pattern matching values that contain `text` as typed: `%`, `_` and `\` in it are
 * escaped (with `\`, LIKE's default escape character), so that searching `%` finds a percent sign
 * rather than every row.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
