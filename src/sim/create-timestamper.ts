/**
 * A clock for `created_at`: RFC 3339 text of `now()`. Calls within the same millisecond share one
 * string, so a burst of lines costs one Date allocation.
 */
export function createTimestamper(now: () => number = Date.now): () => string {
  let lastMs = -1;
  let lastText = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastText = new Date(ms).toISOString();
    }
    return lastText;
  };
}
