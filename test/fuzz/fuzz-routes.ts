import { PROTOTYPE_NAMES, type Json } from './adversarial-values.ts';
import type { SeededRandom } from './seeded-random.ts';

/** What the fuzzed gateway is configured with (see fuzz.test.ts). */
export const FUZZ_KEY = 'fuzz-key-0123456789';
export const FUZZ_BODY_LIMIT = 64 * 1024;
export const FUZZ_MAX_DEPTH = 64;
/** Aliases the gateway has: one named like a prototype member, which must work as configured. */
export const FUZZ_ALIASES = { 'gpt-4o-mini': 'llama3.2', constructor: 'llama3.2' } as const;

/**
 * Per-model config, under names of prototype members too. A configured name may be pulled (the pull
 * allow-list includes configured models), so once a fuzzed pull ran it is a model the simulator has.
 */
export const FUZZ_MODEL_CONFIG = { toString: { maxQueue: 3 }, hasOwnProperty: { maxConcurrent: 1 }, 'llama3.2': { maxConcurrent: 4 } } as const;

/** Names that resolve to a model the simulator has. */
const KNOWN_CHAT_MODELS = ['llama3.2', 'llama3.2:latest', 'gpt-4o-mini', 'constructor'];

export interface FuzzRoute {
  name: string;
  method: string;
  /** The path, with the model where the route takes it from the path. */
  path: (model: string) => string;
  /** A well-formed body for a model (undefined: the route takes none). */
  body?: (model: string, random: SeededRandom) => Json;
  /** The gateway parses the body as JSON (so bad JSON, depth and size are refused before Ollama). */
  parsesJson: boolean;
  /** The gateway resolves the model before anything reaches Ollama (so an unknown one is refused). */
  resolvesModel: boolean;
  /** Answered without a key. */
  open?: boolean;
  embeddings?: boolean;
  /** The gateway refuses it whatever the input (store routes are disabled). */
  alwaysRefused?: boolean;
  /** An empty or `null` body (or one that decodes to nothing) is as good as `{}`. */
  acceptsEmptyBody?: boolean;
}

const fixed = (path: string) => () => path;
const stream = (random: SeededRandom): { stream?: boolean } => (random.chance(0.3) ? { stream: random.chance(0.5) } : {});
const messages = (random: SeededRandom): Json => [
  ...(random.chance(0.3) ? [{ role: 'system', content: 'Be brief.' }] : []),
  { role: 'user', content: random.pick(['hi', 'tell me a story', '', 'naïve café 東京 🙂']) },
];

/** Anthropic content: a string or blocks, now and then a block of a type or with a field of a type the API does not have. */
const anthropicContent = (random: SeededRandom): Json =>
  random.weighted<() => Json>([
    [4, () => random.pick(['hi', 'naïve café 東京 🙂', ''])],
    [2, () => [{ type: 'text', text: 'hi' }]],
    [1, () => [{ type: random.pick(['image', 'tool_result', 'no-such-block', '__proto__']), text: 7, source: { type: 'url', url: 'http://127.0.0.1:1/x' } }]],
    [1, () => random.pick([42, null, { text: 'hi' }, [[]]])],
  ])();
const anthropicBody = (model: string, random: SeededRandom): Json => ({
  model,
  ...(random.chance(0.9) ? { max_tokens: random.chance(0.9) ? random.int(1, 8) : random.pick(['8', 0, -1, 1.5, null]) } : {}),
  messages: random.chance(0.9) ? [{ role: random.chance(0.9) ? 'user' : random.pick(['system', 'tool', 'constructor']), content: anthropicContent(random) }] : random.pick([{}, 'hi', []]),
  ...(random.chance(0.3) ? { system: random.pick(['Be brief.', [{ type: 'text', text: 'Be brief.' }], 5]) } : {}),
  ...(random.chance(0.2) ? { thinking: random.pick([{ type: 'enabled', budget_tokens: 16 }, { type: 'disabled' }, 'on']) } : {}),
});
/** Responses input: a string or items, now and then of a wrong type; `previous_response_id` names no stored response. */
const responsesBody = (model: string, random: SeededRandom): Json => ({
  model,
  input: random.weighted<() => Json>([
    [4, () => random.pick(['hi', 'naïve café 東京 🙂'])],
    [2, () => [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]],
    [1, () => random.pick([42, null, {}, [{ type: 'no-such-item' }], [{ role: '__proto__', content: 'x' }]])],
  ])(),
  ...(random.chance(0.7) ? { max_output_tokens: random.chance(0.9) ? random.int(1, 8) : random.pick(['8', 0, null]) } : {}),
  ...(random.chance(0.3) ? { instructions: random.pick(['Be brief.', 7]) } : {}),
  ...(random.chance(0.2) ? { store: random.pick([false, true, 'no']) } : {}),
  ...(random.chance(0.1) ? { previous_response_id: random.pick(['resp_missing', '__proto__', '']) } : {}),
  ...stream(random),
});

export const FUZZ_ROUTES: readonly FuzzRoute[] = [
  { name: 'chat', method: 'POST', path: fixed('/v1/chat/completions'), body: (model, random) => ({ model, messages: messages(random), max_tokens: random.int(1, 8), ...stream(random) }), parsesJson: true, resolvesModel: true },
  { name: 'completions', method: 'POST', path: fixed('/v1/completions'), body: (model, random) => ({ model, prompt: 'Say hi', max_tokens: random.int(1, 8), ...stream(random) }), parsesJson: true, resolvesModel: true },
  { name: 'embeddings', method: 'POST', path: fixed('/v1/embeddings'), body: (model) => ({ model, input: ['one', 'two'] }), parsesJson: true, resolvesModel: true, embeddings: true },
  { name: 'llm', method: 'POST', path: (model) => `/v1/llm/${encodeURIComponent(model)}`, body: (_model, random) => ({ prompt: 'hi', options: { num_predict: random.int(1, 8) }, ...stream(random) }), parsesJson: true, resolvesModel: true },
  { name: 'llm-pull', method: 'POST', path: (model) => `/v1/llm/${encodeURIComponent(model)}/pull`, body: (_model, random) => ({ ...stream(random) }), parsesJson: true, resolvesModel: false, acceptsEmptyBody: true },
  { name: 'messages', method: 'POST', path: fixed('/v1/messages'), body: (model, random) => ({ ...(anthropicBody(model, random) as object), ...stream(random) }), parsesJson: true, resolvesModel: true },
  { name: 'count-tokens', method: 'POST', path: fixed('/v1/messages/count_tokens'), body: anthropicBody, parsesJson: true, resolvesModel: true },
  { name: 'responses', method: 'POST', path: fixed('/v1/responses'), body: responsesBody, parsesJson: true, resolvesModel: true },
  // No fuzzed id is ever stored (ids are the gateway's own): a prototype name among them must be a 404 too.
  { name: 'response-get', method: 'GET', path: (model) => `/v1/responses/${encodeURIComponent(model || 'resp_missing')}`, parsesJson: false, resolvesModel: false, alwaysRefused: true },
  { name: 'response-delete', method: 'DELETE', path: (model) => `/v1/responses/${encodeURIComponent(model || 'resp_missing')}`, parsesJson: false, resolvesModel: false, alwaysRefused: true },
  { name: 'models', method: 'GET', path: fixed('/v1/models'), parsesJson: false, resolvesModel: false },
  { name: 'model', method: 'GET', path: (model) => `/v1/models/${encodeURIComponent(model)}`, parsesJson: false, resolvesModel: true },
  { name: 'status', method: 'GET', path: fixed('/v1/status'), parsesJson: false, resolvesModel: false },
  { name: 'api-chat', method: 'POST', path: fixed('/api/chat'), body: (model, random) => ({ model, messages: messages(random), stream: random.chance(0.5), options: { num_predict: random.int(1, 8) } }), parsesJson: true, resolvesModel: true },
  { name: 'api-generate', method: 'POST', path: fixed('/api/generate'), body: (model, random) => ({ model, prompt: 'hi', stream: random.chance(0.5), options: { num_predict: random.int(1, 8) } }), parsesJson: true, resolvesModel: true },
  { name: 'api-embed', method: 'POST', path: fixed('/api/embed'), body: (model) => ({ model, input: 'hello' }), parsesJson: true, resolvesModel: true, embeddings: true },
  { name: 'api-embeddings', method: 'POST', path: fixed('/api/embeddings'), body: (model) => ({ model, prompt: 'hello' }), parsesJson: true, resolvesModel: true, embeddings: true },
  { name: 'api-show', method: 'POST', path: fixed('/api/show'), body: (model) => ({ model }), parsesJson: false, resolvesModel: false },
  { name: 'api-tags', method: 'GET', path: fixed('/api/tags'), parsesJson: false, resolvesModel: false },
  { name: 'api-ps', method: 'GET', path: fixed('/api/ps'), parsesJson: false, resolvesModel: false },
  { name: 'api-version', method: 'GET', path: fixed('/api/version'), parsesJson: false, resolvesModel: false },
  { name: 'api-unknown', method: 'GET', path: fixed('/api/no-such-route'), parsesJson: false, resolvesModel: false },
  { name: 'api-pull', method: 'POST', path: fixed('/api/pull'), body: (model) => ({ model }), parsesJson: true, resolvesModel: false, alwaysRefused: true },
  { name: 'api-delete', method: 'DELETE', path: fixed('/api/delete'), body: (model) => ({ model }), parsesJson: false, resolvesModel: false, alwaysRefused: true },
  { name: 'unknown', method: 'POST', path: fixed('/v1/nothing-here'), body: () => ({}), parsesJson: false, resolvesModel: false, alwaysRefused: true },
  { name: 'root', method: 'GET', path: fixed('/'), parsesJson: false, resolvesModel: false, open: true },
  { name: 'healthz', method: 'GET', path: fixed('/healthz'), parsesJson: false, resolvesModel: false, open: true },
  { name: 'readyz', method: 'GET', path: fixed('/readyz'), parsesJson: false, resolvesModel: false, open: true },
  { name: 'openapi', method: 'GET', path: fixed('/openapi.json'), parsesJson: false, resolvesModel: false, open: true },
  { name: 'metrics', method: 'GET', path: fixed('/metrics'), parsesJson: false, resolvesModel: false },
];

/** A model name for a route: mostly one that exists, often a prototype name or an odd spelling. */
export function pickModel(route: FuzzRoute, random: SeededRandom): string {
  const known = route.embeddings ? ['nomic-embed-text', 'nomic-embed-text:latest'] : KNOWN_CHAT_MODELS;
  return random.weighted<() => string>([
    [6, () => random.pick(known)],
    [3, () => random.pick(PROTOTYPE_NAMES)],
    [1, () => random.pick(['', ' ', 'no-such-model', 'a/b/c:d', 'x'.repeat(300), 'llama3.2:latest:extra', '../../etc/passwd', 'Ünïcødé'])],
  ])();
}

/** Whether the gateway must refuse a model name before Ollama hears of the request. */
export function isUnknownModel(model: string): boolean {
  return !KNOWN_CHAT_MODELS.includes(model) && !model.startsWith('nomic-embed-text') && !Object.hasOwn(FUZZ_MODEL_CONFIG, model);
}
