/** Counts and durations (ns) of a finished generation, as the `done` line carries them. */
export interface DoneMetrics {
  doneReason: string;
  totalDuration: number;
  loadDuration: number;
  promptEvalCount: number;
  promptEvalDuration: number;
  evalCount: number;
  evalDuration: number;
}

/** `,"done_reason":…,"total_duration":…` with every zero metric left out (Go's omitempty). */
export function encodeDoneMetrics(metrics: DoneMetrics): string {
  let text = metrics.doneReason === '' ? '' : `,"done_reason":${JSON.stringify(metrics.doneReason)}`;
  text += encodeNumber('total_duration', metrics.totalDuration);
  text += encodeNumber('load_duration', metrics.loadDuration);
  text += encodeNumber('prompt_eval_count', metrics.promptEvalCount);
  text += encodeNumber('prompt_eval_duration', metrics.promptEvalDuration);
  text += encodeNumber('eval_count', metrics.evalCount);
  text += encodeNumber('eval_duration', metrics.evalDuration);
  return text;
}

function encodeNumber(key: string, value: number): string {
  return value === 0 ? '' : `,"${key}":${Math.round(value)}`;
}
