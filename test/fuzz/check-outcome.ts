import { anthropicErrorBodySchema } from '../../src/anthropic/error-body.ts';
import type { ReceivedRequest } from '../../src/sim/sim-types.ts';
import { PLANTED_SECRETS } from './generate-request.ts';
import { FUZZ_KEY } from './fuzz-routes.ts';
import type { FuzzRequest, RawOutcome, RawResponse } from '../support/send-raw-request.ts';

/** Paths the gateway calls on its own (model list, health, running models), whatever the client asked. */
const HOUSEKEEPING_PATHS = new Set(['/api/tags', '/api/version', '/api/ps']);
/** Headers that carry a client's credentials; Ollama must never see one. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'api-key', 'cookie', 'proxy-authorization'];

/**
 * Everything wrong with one exchange: a 5xx, a hang, a silent close, an error body not in the
 * route's dialect, a refused request that reached Ollama, or a credential that did.
 */
export function checkOutcome(request: FuzzRequest, outcome: RawOutcome, reachedOllama: readonly ReceivedRequest[]): string[] {
  const problems: string[] = [];
  for (const received of reachedOllama) problems.push(...credentialProblems(received));
  if (outcome.kind === 'timeout') return [...problems, 'no complete answer within the deadline (hang)'];
  if (outcome.kind === 'closed') return request.truncated ? problems : [...problems, 'the connection closed without an answer'];
  const { response } = outcome;
  if (response.status >= 500 && !isAnthropicOverload(request, response)) problems.push(`status ${response.status}: ${preview(response.body)}`);
  if (response.status >= 400) problems.push(...shapeProblems(request, response));
  if (request.refused) {
    if (response.status < 400 || (response.status >= 500 && !isAnthropicOverload(request, response))) problems.push(`should have been refused with a 4xx, got ${response.status}`);
    const forwarded = reachedOllama.filter((received) => !HOUSEKEEPING_PATHS.has(received.path));
    if (forwarded.length > 0) problems.push(`refused, yet Ollama received ${forwarded.map((received) => `${received.method} ${received.path}`).join(', ')}`);
  }
  return problems;
}

/** A credential header, or any planted secret, that reached Ollama with one request. */
export function credentialProblems(received: ReceivedRequest): string[] {
  const problems: string[] = [];
  for (const name of CREDENTIAL_HEADERS) if (received.headers[name] !== undefined) problems.push(`Ollama received a ${name} header on ${received.path}`);
  const values = JSON.stringify(received.headers);
  for (const secret of [FUZZ_KEY, ...PLANTED_SECRETS]) if (values.includes(secret)) problems.push(`Ollama received the secret ${secret} on ${received.path}`);
  return problems;
}

type Dialect = 'ollama' | 'openai' | 'anthropic';

/** The dialect of a request, as the gateway decides it (error-dialects.ts): Anthropic's on its two routes' own method. */
function dialectOfRequest(request: FuzzRequest): Dialect {
  const path = request.target.split('?', 1)[0] ?? '';
  if (path.startsWith('/api/')) return 'ollama';
  return request.method === 'POST' && (path === '/v1/messages' || path === '/v1/messages/count_tokens') ? 'anthropic' : 'openai';
}

/** A full queue (or any overload) on the Anthropic routes is 529 `overloaded_error`, as Anthropic's own API answers. */
function isAnthropicOverload(request: FuzzRequest, response: RawResponse): boolean {
  if (response.status !== 529 || request.raw !== undefined || dialectOfRequest(request) !== 'anthropic') return false;
  return (parseOrUndefined(response.body) as { error?: { type?: unknown } } | undefined)?.error?.type === 'overloaded_error';
}

/**
 * On `/api/*` Ollama's `{"error": "text"}` (or its router's plain-text 404/405), on `POST /v1/messages`
 * and its `count_tokens` Anthropic's `{"type":"error","error":{…}}`, elsewhere OpenAI's error object. What Node's parser
 * refused may not have a readable path: any dialect will do.
 */
function shapeProblems(request: FuzzRequest, response: RawResponse): string[] {
  const contentType = response.headers['content-type'] ?? '';
  const dialects: Dialect[] = request.raw !== undefined ? ['ollama', 'openai', 'anthropic'] : [dialectOfRequest(request)];
  if (request.method === 'HEAD') return response.body.length === 0 ? [] : ['a HEAD answer with a body'];
  if (dialects.includes('ollama') && contentType.startsWith('text/plain') && (response.status === 404 || response.status === 405)) return [];
  if (!contentType.startsWith('application/json')) return [`error with content type "${contentType}": ${preview(response.body)}`];
  const body = parseOrUndefined(response.body);
  if (body === undefined) return [`error body is not JSON: ${preview(response.body)}`];
  const matches = (dialects.includes('ollama') && isOllamaError(body)) || (dialects.includes('openai') && isOpenAIError(body)) || (dialects.includes('anthropic') && isAnthropicError(body));
  return matches ? [] : [`not the ${dialects.join(' or ')} error shape: ${preview(response.body)}`];
}

function parseOrUndefined(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isAnthropicError(body: unknown): boolean {
  return anthropicErrorBodySchema.safeParse(body).success;
}

function isOllamaError(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' && Object.keys(body).length === 1;
}

function isOpenAIError(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error as { message?: unknown; type?: unknown; param?: unknown; code?: unknown } | undefined;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.message === 'string' &&
    typeof error.type === 'string' &&
    (error.param === null || typeof error.param === 'string') &&
    (error.code === null || typeof error.code === 'string')
  );
}

function preview(body: Buffer): string {
  const text = body.toString('utf8');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
