import { createHash, timingSafeEqual } from 'node:crypto';
import type { RouteScope } from '../config/key-entry-schema.ts';

/** Who a request is, once its key matched: everything but the secret. */
export interface KeyIdentity {
  readonly name: string;
  /** Model globs compiled to one test; absent = every model. */
  readonly allowsModel: (canonicalName: string) => boolean;
  /** The configured model globs; absent = every model is in scope. */
  readonly models?: readonly string[] | undefined;
  /** Route classes the key may use. */
  readonly routes: ReadonlySet<RouteScope>;
  readonly limits: KeyLimits;
}

/** A key's own limits; each absent field means no limit of that kind. */
export interface KeyLimits {
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
  readonly maxConcurrent?: number | undefined;
  readonly priority?: number | undefined;
  readonly maxPriority?: number | undefined;
  readonly weight?: number | undefined;
  readonly dailyTokens?: number | undefined;
  readonly monthlyTokens?: number | undefined;
}

interface StoredKey {
  digest: Buffer;
  identity: KeyIdentity;
}

/** SHA-256 of a key, the form the ring stores and compares. */
export function digestKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/**
 * The configured keys by SHA-256 digest. A lookup compares the presented key's digest with every
 * stored digest using `timingSafeEqual` and never stops early, so neither which key matched nor how
 * much of it did leaks through timing; the secret itself is not kept.
 */
export class KeyRing {
  readonly #keys: readonly StoredKey[];

  constructor(keys: ReadonlyArray<{ digest: Buffer; identity: KeyIdentity }>) {
    this.#keys = keys.map((key) => ({ digest: key.digest, identity: key.identity }));
  }

  /** No keys configured: every request is let in, anonymous. */
  get isOpen(): boolean {
    return this.#keys.length === 0;
  }

  get size(): number {
    return this.#keys.length;
  }

  /** The names, in configuration order. */
  names(): string[] {
    return this.#keys.map((key) => key.identity.name);
  }

  /** Every key's identity, in configuration order. */
  identities(): KeyIdentity[] {
    return this.#keys.map((key) => key.identity);
  }

  find(presented: string): KeyIdentity | undefined {
    const candidate = digestKey(presented);
    let found: KeyIdentity | undefined;
    for (const key of this.#keys) {
      if (timingSafeEqual(candidate, key.digest) && found === undefined) found = key.identity;
    }
    return found;
  }
}
