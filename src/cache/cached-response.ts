/** What the cache keeps of one answer: a JSON body, or the data events of an SSE stream. */
export type CachedResponse = { kind: 'json'; body: unknown } | { kind: 'sse'; events: unknown[] };

/** Where cached answers live: memory (one replica) or Redis (shared by replicas). */
export interface ResponseCacheStore {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse): Promise<void>;
}

/** The bytes an entry costs, as stored (its JSON text); bounds the memory store. */
export function sizeOfCachedResponse(value: CachedResponse): number {
  return Buffer.byteLength(JSON.stringify(value));
}
