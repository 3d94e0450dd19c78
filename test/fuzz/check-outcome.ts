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
  if (response.status >= 500) problems.push(`status ${response.status}: ${preview(response.body)}`);
  if (response.status >= 400) problems.push(...shapeProblems(request, response));
  if (request.refused) {
    if (response.status < 400 || response.status >= 500) problems.push(`should have been refused with a 4xx, got ${response.status}`);
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

/**
 * On `/api/*` Ollama's `{"error": "text"}` (or its router's plain-text 404/405); elsewhere OpenAI's
 * error object. What Node's parser refused may not have a readable path: either dialect will do.
 */
function shapeProblems(request: FuzzRequest, response: RawResponse): string[] {
  const contentType = response.headers['content-type'] ?? '';
  const dialects = request.raw !== undefined ? ['ollama', 'openai'] : [request.target.startsWith('/api/') ? 'ollama' : 'openai'];
  if (request.method === 'HEAD') return response.body.length === 0 ? [] : ['a HEAD answer with a body'];
  if (dialects.includes('ollama') && contentType.startsWith('text/plain') && (response.status === 404 || response.status === 405)) return [];
  if (!contentType.startsWith('application/json')) return [`error with content type "${contentType}": ${preview(response.body)}`];
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    return [`error body is not JSON: ${preview(response.body)}`];
  }
  const matches = (dialects.includes('ollama') && isOllamaError(body)) || (dialects.includes('openai') && isOpenAIError(body));
  return matches ? [] : [`not the ${dialects.join(' or ')} error shape: ${preview(response.body)}`];
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
