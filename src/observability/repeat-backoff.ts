/**
 * Decides when a condition that persists (an upstream that stays unreachable) is worth another log
 * line: the first time, then after `firstRepeatMs`, doubling up to `maxRepeatMs`. `reset` when the
 * condition clears, so the next occurrence is reported at once.
 */
export interface RepeatBackoff {
  /** True when this occurrence, at `now` ms, should be reported. */
  shouldReport(now: number): boolean;
  reset(): void;
}

export function createRepeatBackoff(options: { firstRepeatMs: number; maxRepeatMs: number }): RepeatBackoff {
  let nextAt: number | undefined;
  let gapMs = options.firstRepeatMs;
  return {
    shouldReport(now) {
      if (nextAt !== undefined && now < nextAt) return false;
      nextAt = nextAt === undefined ? now + gapMs : now + (gapMs = Math.min(gapMs * 2, options.maxRepeatMs));
      return true;
    },
    reset() {
      nextAt = undefined;
      gapMs = options.firstRepeatMs;
    },
  };
}
