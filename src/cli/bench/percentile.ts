/**
 * Percentiles by the nearest-rank method: the smallest sample such that at least `p` percent of the
 * samples are at or below it. Always a value that was actually measured, never an interpolation, so
 * p100 is the maximum and a single sample is every percentile.
 */

/**
 * The `p`-th percentile (0 < p ≤ 100) of samples already sorted in ascending order, or `null` when
 * there are none.
 */
export function percentileOfSorted(sortedSamples: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (sortedSamples.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedSamples.length);
  return sortedSamples[rank - 1] ?? null;
}

/** Sorts a copy of the samples in ascending numeric order. */
export function sortAscending(samples: readonly number[]): number[] {
  return [...samples].sort((left, right) => left - right);
}

