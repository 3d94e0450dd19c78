import type { Dispatcher } from 'undici';
import type { UpstreamExchange } from '../ollama/ollama-client.ts';

/** One node the pipeline can send a generation to. `OllamaClient` is one. */
export interface Upstream {
  /** The configured name; labels metrics and the request log. */
  readonly name: string;
  readonly baseUrl: string;
  send(exchange: UpstreamExchange): Promise<Dispatcher.ResponseData>;
}

/**
 * Picks the node for each attempt of a call: attempt 1 first, a later attempt after a failure before
 * any byte of the answer (so a pool can fail over to another node there).
 */
export interface UpstreamChooser {
  choose(model: string, attempt: number): Upstream;
}

/** Today's deployment: one Ollama node takes every attempt. */
export function singleUpstream(upstream: Upstream): UpstreamChooser {
  return { choose: () => upstream };
}
