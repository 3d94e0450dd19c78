/** One progress line of a pull as the gateway streams it. */
export interface PullProgressLine {
  status?: string;
  percent?: number;
  completed?: number;
  total?: number;
}

const MB = 1_000_000;

/**
 * What the terminal shows for a progress line: `pulling 544e85ad7549 45% (235 / 523 MB)`. Megabytes
 * as Ollama's own CLI counts them (10^6 bytes), whole numbers: the line is rewritten many times a second.
 */
export function formatPullProgress(line: PullProgressLine): string {
  const percent = line.percent === undefined ? '' : ` ${Math.floor(line.percent)}%`;
  const bytes = line.completed !== undefined && line.total !== undefined && line.total > 0 ? ` (${Math.floor(line.completed / MB)} / ${Math.ceil(line.total / MB)} MB)` : '';
  return `${line.status ?? ''}${percent}${bytes}`;
}
