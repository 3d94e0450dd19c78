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

interface DialectWriter {
  /** The error as a whole response body. */
  render(error: GatewayError): RenderedError;
  /** The error as the last line of an NDJSON stream that has already started. */
  streamedLine(error: GatewayError): string;
}

/** How each dialect writes an error; the status is the same in every dialect. */
const writers: Record<ErrorDialect, DialectWriter> = {
  openai: {
    render: (error) => ({ contentType: JSON_TYPE, body: JSON.stringify(error.toBody()) }),
    streamedLine: (error) => `${JSON.stringify(error.toBody())}\n`,
  },
  // Ollama's handlers answer `{"error": "text"}` (also as the last line of a stream), its router's
  // unknown route a plain-text 404, and its clients show either as the message.
  ollama: {
    render: (error) =>
      error.code === 'unknown_url'
        ? { contentType: 'text/plain; charset=utf-8', body: '404 page not found' }
        : { contentType: JSON_TYPE, body: JSON.stringify({ error: error.message } satisfies OllamaError) },
    streamedLine: (error) => `${JSON.stringify({ error: error.message } satisfies OllamaError)}\n`,
  },
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
  return writers[dialect].render(error);
}

/** The error as the last line of an NDJSON stream in a dialect (the stream then ends). */
export function renderStreamedErrorLine(dialect: ErrorDialect, error: GatewayError): string {
  return writers[dialect].streamedLine(error);
}
