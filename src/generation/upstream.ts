import type { Dispatcher } from 'undici';
import type { UpstreamExchange } from '../ollama/ollama-client.ts';
import type { Lease } from '../scheduler/scheduler.ts';

/** One node the pipeline can send a generation to. `OllamaClient` is one. */
export interface Upstream {
  /** The configured name; labels metrics and the request log. */
  readonly name: string;
  readonly baseUrl: string;
  send(exchange: UpstreamExchange): Promise<Dispatcher.ResponseData>;
}

/** The slot a generation holds; failover moves it to another node. */
export interface HeldSlot {
  readonly lease: Lease;
  /** Gives the slot back and takes one of the model on another node (not in `avoid`), first in the queue. */
  move(avoid: ReadonlySet<string>): Promise<void>;
}

/** Where the attempts of one generation go, node by node. */
export interface UpstreamRoute {
  /** The node of the current attempt: the one its slot is on. */
  readonly upstream: Upstream;
  /** A failed attempt (passive health: a node that cannot be reached is marked down at once). */
  noteFailure(failure: unknown): void;
  /**
   * Before a retry: moves the generation to another node that can take it (true: try there now),
   * or keeps it here (false: retry in place after the backoff).
   */
  moveOn(): Promise<boolean>;
  /** The current node answered. */
  noteAnswered(): void;
}

/** Turns a generation's slot into its route: which node each attempt goes to. */
export interface UpstreamChooser {
  route(model: string, slot: HeldSlot, signal: AbortSignal): UpstreamRoute;
}
