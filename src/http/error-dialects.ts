import type { GatewayError } from '../errors/gateway-error.ts';
import type { OllamaError } from '../ollama/wire.ts';

/** The error shapes the gateway speaks: each route answers in the dialect of the API it imitates. */
export type ErrorDialect = 'openai' | 'ollama';

/** An error, rendered for the wire. */
export interface RenderedError {
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** How each dialect writes an error body; the status is the same in every dialect. */
const renderers: Record<ErrorDialect, (error: GatewayError) => RenderedError> = {
  openai: (error) => ({ contentType: JSON_TYPE, body: JSON.stringify(error.toBody()) }),
  // Ollama's handlers answer `{"error": "text"}`, its router's unknown route a plain-text 404, and its
  // clients show either as the message.
  ollama: (error) =>
    error.code === 'unknown_url'
      ? { contentType: 'text/plain; charset=utf-8', body: '404 page not found' }
      : { contentType: JSON_TYPE, body: JSON.stringify({ error: error.message } satisfies OllamaError) },
};

/**
 * Which paths speak which dialect, declared once per API: the first match wins, and everything not
 * listed speaks OpenAI's (the `/v1/*` routes, the sidecar routes, unknown paths).
 */
const routeDialects: ReadonlyArray<{ matches: (path: string) => boolean; dialect: ErrorDialect }> = [
  { matches: (path) => path.startsWith('/api/'), dialect: 'ollama' },
];

/** The dialect of the route a path belongs to. */
export function dialectOf(path: string): ErrorDialect {
  return routeDialects.find((route) => route.matches(path))?.dialect ?? 'openai';
}

/** The body (and its content type) of an error in a dialect. */
export function renderError(dialect: ErrorDialect, error: GatewayError): RenderedError {
  return renderers[dialect](error);
}
