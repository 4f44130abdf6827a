/** A column of {@link formatTable}: header, how to read a cell, alignment. */
export interface TableColumn<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

/** Renders rows as a plain-text table with aligned columns, for people reading a terminal. */
export function formatTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, j) => Math.max(c.header.length, ...cells.map((r) => (r[j] as string).length)));
  const line = (values: string[]) =>
    values.map((v, j) => (columns[j]!.align === 'right' ? v.padStart(widths[j]!) : v.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
