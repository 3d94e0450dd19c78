/**
 * Milliseconds at a precision worth reading: a tenth below 10 ms (where the gateway's own overhead
 * shows), whole milliseconds above. Sub-microsecond digits are timer noise.
 */
export function roundDuration(milliseconds: number): number {
  return milliseconds < 10 ? Math.round(milliseconds * 10) / 10 : Math.round(milliseconds);
}
