import type { UsageLedger } from '../usage/usage-ledger.ts';
import type { KeyLimiter } from './key-limiter.ts';
import type { KeyRing } from './key-ring.ts';

/** The keys layer of one app instance: who is calling, their limits, their usage. */
export interface KeyServices {
  /** The keys in force; replaced whole on reload. */
  ring(): KeyRing;
  limiter: KeyLimiter;
  ledger: UsageLedger;
}
