import type { RequestResult } from './send-bench-request.ts';

export interface ProgressOptions {
  stream: NodeJS.WritableStream;
  /** Rewrite one line with `\r` (a terminal) instead of printing a line per report. */
  interactive: boolean;
  /** Planned request count, or null when only a duration bounds the run. */
  total: number | null;
  now: () => number;
}

/** Counts completions and reports them: done/total, recent requests per second, errors. */
export interface ProgressReporter {
  record(result: RequestResult): void;
  /** Writes the current state; the rate covers the time since the previous report. */
  report(): void;
  /** Writes the final state and, on a terminal, ends the rewritten line. */
  finish(): void;
}

/** Creates a reporter for one run; the caller decides how often `report` is called. */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  let done = 0;
  let errors = 0;
  let doneAtLastReport = 0;
  let lastReportAt = options.now();
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
    const seconds = (now - lastReportAt) / 1000;
    const rate = seconds > 0 ? (done - doneAtLastReport) / seconds : 0;
    doneAtLastReport = done;
    lastReportAt = now;
    write(formatProgressLine({ done, total: options.total, requestsPerSecond: rate, errors }));
  };

  return {
    record(result) {
      done += 1;
      if (result.outcome !== 'ok') errors += 1;
    },
    report,
    finish() {
      report();
      if (options.interactive) options.stream.write('\n');
    },
  };
}

/** One progress line, e.g. `bench 42/100 done  12.3 req/s  2 errors`. */
export function formatProgressLine(state: {
  done: number;
  total: number | null;
  requestsPerSecond: number;
  errors: number;
}): string {
  const done = state.total === null ? `${state.done}` : `${state.done}/${state.total}`;
  return `bench ${done} done  ${state.requestsPerSecond.toFixed(1)} req/s  ${state.errors} errors`;
}
