import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import { fromOllamaError } from '../errors/from-ollama-error.ts';
import { clientClosed, GatewayError, upstreamError } from '../errors/gateway-error.ts';

/** A non-2xx answer of the upstream, with the start of its body, before it is classified. */
export class UpstreamStatusFailure extends Error {
  readonly status: number;
  readonly bodyText: string;
  constructor(status: number, bodyText: string) {
    super(`HTTP ${status}`);
    this.status = status;
    this.bodyText = bodyText;
  }
}

/** An `{"error": …}` line or body where an answer was expected. */
export const errorLine = (message: string): GatewayError => upstreamError(`Ollama failed while generating: ${message}`);

/** A stream that ended cleanly but without its final `done` line: cut short, never a finish. */
export const incompleteStream = (): GatewayError =>
  upstreamError('Ollama ended the stream without its final line; the answer is incomplete.', undefined, 'upstream_incomplete');

/**
 * The one place a generation's failure gets its meaning: our own deadline or drain (the abort reason
 * is a GatewayError), the client leaving (499), Ollama's non-2xx answers and error lines (Ollama's
 * text kept), and network failures by `cause.code`.
 */
export function classifyGenerationFailure(error: unknown, signal: AbortSignal, upstream: string): GatewayError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof GatewayError) return reason;
    if (!(error instanceof GatewayError)) return clientClosed();
  }
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamStatusFailure) return fromOllamaError(error.status, error.bodyText);
  return classifyUpstreamFailure(error, upstream);
}
