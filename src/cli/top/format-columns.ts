/** A column of a text table: its heading and whether its values line up on the right (numbers). */
export interface Column {
  heading: string;
  alignRight?: boolean;
}

/**
 * Lays out rows under their headings, each column as wide as its widest cell, two spaces apart, and
 * cuts every line to `width` characters so nothing wraps on a narrow terminal.
 */
export function formatColumns(columns: Column[], rows: string[][], width = Infinity): string[] {
  const widths = columns.map((column, index) => Math.max(column.heading.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => (columns[index]?.alignRight ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd()
      .slice(0, width);
  return [line(columns.map((column) => column.heading)), ...rows.map(line)];
}
