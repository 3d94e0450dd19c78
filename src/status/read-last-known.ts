/** What a {@link createLastKnownReader} hands back: the freshest value it has, and why the last refresh failed. */
export interface LastKnown<T> {
  /** Undefined only until the first read succeeds. */
  value: T | undefined;
  /** The failure of the latest refresh; cleared by the next success. */
  error: unknown;
}

/**
 * Stale-while-revalidate over an async read: a read that answers at once (from its own cache) is
 * used as is; a read that has to wait for the network leaves the caller with the last known value
 * while it goes on in the background. Only the very first read is waited for. One refresh at a time.
 */
export function createLastKnownReader<T>(read: () => Promise<T>): () => Promise<LastKnown<T>> {
  let known: { value: T } | undefined;
  let error: unknown;
  let refreshing: Promise<void> | undefined;
  return async () => {
    refreshing ??= read().then(
      (value) => {
        known = { value };
        error = undefined;
      },
      (failure: unknown) => {
        error = failure;
      },
    ).finally(() => {
      refreshing = undefined;
    });
    // A cached read settles within microtasks, so it beats the next turn of the event loop; I/O does not.
    if (known === undefined) await refreshing;
    else await Promise.race([refreshing, nextTurn()]);
    return { value: known?.value, error };
  };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
