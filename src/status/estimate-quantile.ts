/**
 * The `q`-quantile of the observations between two readings of a cumulative histogram, interpolated
 * linearly within the bucket it falls in — what Prometheus's `histogram_quantile` does. Null when no
 * observation fell between the readings. A quantile in the `+Inf` bucket is the highest finite bound.
 */
export function estimateQuantile(q: number, later: ReadonlyArray<readonly [number, number]>, earlier: ReadonlyArray<readonly [number, number]> = []): number | null {
  const earlierCounts = new Map(earlier);
  const deltas = later.map(([upperBound, count]) => [upperBound, count - (earlierCounts.get(upperBound) ?? 0)] as const);
  const total = deltas.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let below = 0;
  for (const [upperBound, cumulative] of deltas) {
    if (cumulative >= rank) {
      if (upperBound === Infinity) return lowerBound;
      const inBucket = cumulative - below;
      return inBucket === 0 ? upperBound : lowerBound + ((upperBound - lowerBound) * (rank - below)) / inBucket;
    }
    lowerBound = upperBound;
    below = cumulative;
  }
  return lowerBound;
}
