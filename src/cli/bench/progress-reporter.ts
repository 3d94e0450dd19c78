import type { RequestResult } from './send-bench-request.ts';
import { isRejection } from './summarise-results.ts';

/** The rate shown covers completions over about this long, so it does not jump with every report. */
const RATE_WINDOW_MS = 5_000;

export interface ProgressOptions {
  stream: NodeJS.WritableStream;
  /** Rewrite one line with `\r` (a terminal) instead of printing a line per report. */
  interactive: boolean;
  /** Planned request count, or null when only a duration bounds the run. */
  total: number | null;
  now: () => number;
}

/** Counts completions and reports them: done/total, requests per second over a window, rejections, errors. */
export interface ProgressReporter {
  record(result: RequestResult): void;
  /** Writes the current state; the rate covers the last few seconds (since the start when shorter). */
  report(): void;
  /** Writes the final state and, on a terminal, ends the rewritten line. */
  finish(): void;
}

/** Creates a reporter for one run; the caller decides how often `report` is called. */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  let done = 0;
  let rejected = 0;
  let errors = 0;
  // (time, done) at each report within the window, oldest first; the first is where the rate starts.
  const samples: Array<{ at: number; done: number }> = [{ at: options.now(), done: 0 }];
  let lastLineLength = 0;

  const write = (line: string): void => {
    if (options.interactive) {
      // Pad over the remains of a longer previous line; \r returns to the start of the line.
      options.stream.write(`\r${line.padEnd(lastLineLength)}`);
      lastLineLength = line.length;
    } else {
      options.stream.write(`${line}\n`);
    }
  };

  const report = (): void => {
    const now = options.now();
    // Keep one sample at or before the window's start, so the rate spans the whole window.
    while (samples.length > 1 && (samples[1]?.at ?? now) <= now - RATE_WINDOW_MS) samples.shift();
    const oldest = samples[0] ?? { at: now, done };
    const seconds = (now - oldest.at) / 1000;
    const rate = seconds > 0 ? (done - oldest.done) / seconds : 0;
    samples.push({ at: now, done });
    write(formatProgressLine({ done, total: options.total, requestsPerSecond: rate, rejected, errors }));
  };

  return {
    record(result) {
      done += 1;
      if (isRejection(result)) rejected += 1;
      else if (result.outcome !== 'ok') errors += 1;
    },
    report,
    finish() {
      report();
      if (options.interactive) options.stream.write('\n');
    },
  };
}

/** One progress line, e.g. `bench 42/100 done  12.3 req/s  3 rejected  2 errors`. */
export function formatProgressLine(state: {
  done: number;
  total: number | null;
  requestsPerSecond: number;
  rejected: number;
  errors: number;
}): string {
  const done = state.total === null ? `${state.done}` : `${state.done}/${state.total}`;
  return `bench ${done} done  ${state.requestsPerSecond.toFixed(1)} req/s  ${state.rejected} rejected  ${state.errors} errors`;
}
