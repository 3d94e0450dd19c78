import type { UsageRow } from '../usage/usage-response.ts';

const COLUMNS = ['day', 'key', 'model', 'requests', 'prompt_tokens', 'completion_tokens', 'total_tokens'] as const;

/** Usage rows as an aligned text table: the grouped dimensions, then the counts (right-aligned). */
export function formatUsageTable(rows: readonly UsageRow[], groups: readonly string[]): string {
  const columns = COLUMNS.filter((column) => !['day', 'key', 'model'].includes(column) || groups.includes(column));
  const cells = [columns.map((column) => column.replace('_tokens', '')), ...rows.map((row) => columns.map((column) => String(row[column] ?? '')))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]!.length)));
  const isCount = (index: number): boolean => !['day', 'key', 'model'].includes(columns[index]!);
  return `${cells.map((line) => line.map((cell, index) => (isCount(index) ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!))).join('  ').trimEnd()).join('\n')}\n`;
}
