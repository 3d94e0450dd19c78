import { toAnthropicError } from '../anthropic/error-body.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { OllamaError } from '../ollama/wire.ts';
import { OPENAI_JSON_TYPE } from './send-json.ts';

/** The error shapes the gateway speaks: each route answers in the dialect of the API it imitates. */
export type ErrorDialect = 'openai' | 'ollama' | 'anthropic';

/** An error, rendered for the wire: a dialect may answer with a status of its own (Anthropic's 529). */
export interface RenderedError {
  status: number;
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** How each dialect writes an error; `requestId` is for the dialects whose body names it. */
const renderers: Record<ErrorDialect, (error: GatewayError, requestId?: string) => RenderedError> = {
  openai: (error) => ({ status: error.status, contentType: OPENAI_JSON_TYPE, body: JSON.stringify(error.toBody()) }),
  // Ollama's handlers answer `{"error": "text"}`, its router's unknown route a plain-text 404, and its
  // clients show either as the message.
  ollama: (error) =>
    error.code === 'unknown_url'
      ? { status: error.status, contentType: 'text/plain; charset=utf-8', body: '404 page not found' }
      : { status: error.status, contentType: JSON_TYPE, body: JSON.stringify({ error: error.message } satisfies OllamaError) },
  anthropic: (error, requestId) => {
    const { status, body } = toAnthropicError(error, requestId);
    return { status, contentType: JSON_TYPE, body: JSON.stringify(body) };
  },
};

const ANTHROPIC_PATHS = new Set(['/v1/messages', '/v1/messages/count_tokens']);

/**
 * Which requests speak which dialect, declared once per API: the first match wins, and everything
 * not listed speaks OpenAI's (the `/v1/*` routes, the sidecar routes, unknown paths, and a wrong
 * method on an Anthropic path, which gets the generic 405 every path answers).
 */
const routeDialects: ReadonlyArray<{ matches: (method: string, path: string) => boolean; dialect: ErrorDialect }> = [
  { matches: (_method, path) => path.startsWith('/api/'), dialect: 'ollama' },
  // As the router matches them: any case, one trailing slash.
  { matches: (method, path) => method === 'POST' && ANTHROPIC_PATHS.has(path.toLowerCase().replace(/(?<=.)\/$/, '')), dialect: 'anthropic' },
];

/** The dialect of the route a request belongs to. */
export function dialectOf(method: string, path: string): ErrorDialect {
  return routeDialects.find((route) => route.matches(method, path))?.dialect ?? 'openai';
}

/** The status, body and content type of an error in a dialect. */
export function renderError(dialect: ErrorDialect, error: GatewayError, requestId?: string): RenderedError {
  return renderers[dialect](error, requestId);
}
