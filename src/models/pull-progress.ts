import type { OllamaPullProgress } from '../ollama/wire.ts';

/** One step of a pull as every caller sees it: Ollama's line plus the percent done of the current layer. */
export interface PullProgress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
  /** `completed / total` in percent with one decimal, when Ollama reports both. */
  percent?: number;
}

/** Ollama's `/api/pull` progress line → the gateway's progress event. */
export function toPullProgress(line: OllamaPullProgress): PullProgress {
  const progress: PullProgress = { status: line.status ?? '' };
  if (line.digest !== undefined) progress.digest = line.digest;
  if (line.total !== undefined) progress.total = line.total;
  if (line.completed !== undefined) progress.completed = line.completed;
  if (line.total !== undefined && line.total > 0) {
    progress.percent = Math.round(((line.completed ?? 0) / line.total) * 1000) / 10;
  }
  return progress;
}
