/** Unique ids for responses (`chatcmpl-…`, `cmpl-…`) and tool calls (`call_…`). */
import { randomFillSync } from 'node:crypto';

/** Makes an id from a prefix; injected into the translators so tests can be deterministic. */
export type IdGenerator = (prefix: string) => string;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `prefix` + `length` random characters from [A-Za-z0-9] (24 by default: about 143 bits), drawn by
 * rejection sampling so every character is equally likely. Ollama's own ids are `chatcmpl-0`…`998`.
 */
export function generateId(prefix: string, length = 24): string {
  let id = prefix;
  while (id.length < prefix.length + length) {
    const byte = nextRandomByte();
    // 248 = 4 × 62: bytes above it would make the first characters more likely
    if (byte < 248) id += alphabet[byte % 62];
  }
  return id;
}

/**
 * Random bytes drawn from the OS 4 KiB at a time: one call per id was the largest cost of our own code
 * on the request path. The pool holds only unused randomness, so sharing it across app instances is safe.
 */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}
