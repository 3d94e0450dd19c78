import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { adversarialValueText, mutateJson, nestedText, PROTOTYPE_NAMES } from './adversarial-values.ts';
import { FUZZ_BODY_LIMIT, FUZZ_KEY, FUZZ_MAX_DEPTH, FUZZ_ROUTES, isUnknownModel, pickModel, type FuzzRoute } from './fuzz-routes.ts';
import { generateMalformedHttp } from './generate-malformed-http.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { FuzzRequest } from '../support/send-raw-request.ts';

/** Credentials planted on requests: none of them may ever reach Ollama. */
export const PLANTED_SECRETS = ['fuzz-secret-cookie', 'fuzz-secret-proxy', 'fuzz-secret-api-key'] as const;

/** What one request is made of, before it becomes bytes. */
interface Draft {
  labels: string[];
  route: FuzzRoute;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** The body as JSON text before any encoding (for the model it names). */
  bodyText?: string;
  /** Refused before any route runs: key, path, headers, `Expect`. */
  refusedByTransport: boolean;
  /** Refused by the route this request was made for: body, model, store route. */
  refusedByRoute: boolean;
  truncated?: boolean;
}

/** One adversarial request: a route, then a few independent distortions of its body, headers, path and framing. */
export function generateRequest(random: SeededRandom): FuzzRequest {
  if (random.chance(0.06)) return generateMalformedHttp(random);
  const route = random.pick(FUZZ_ROUTES);
  const routeModel = pickModel(route, random);
  const draft: Draft = { labels: [route.name], route, path: route.path(routeModel), query: '', headers: [], body: Buffer.alloc(0), refusedByTransport: false, refusedByRoute: route.alwaysRefused === true };
  const modelSources = { header: undefined as string | undefined, query: undefined as string | undefined };
  if (random.chance(0.15)) modelSources.header = pickModel(route, random);
  if (random.chance(0.1)) modelSources.query = pickModel(route, random);
  addModelSources(draft, modelSources);
  addCredentials(draft, random);
  if (route.body !== undefined) draftBody(draft, route, routeModel, random);
  if (route.resolvesModel && isUnknownModel(effectiveModel(draft, routeModel, modelSources))) draft.refusedByRoute = true;
  distortHeaders(draft, random);
  if (random.chance(0.08)) distortPath(draft, random);
  // Another method or path makes it another route's request: only what refuses any request counts then.
  if (draft.path !== route.path(routeModel)) draft.refusedByRoute = false;
  const method = random.chance(0.03) ? random.pick(['PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE', 'FOO']) : route.method;
  if (method !== route.method) draft.labels.push(`method-${method}`);
  return {
    label: draft.labels.join('+'),
    method,
    target: `${draft.path}${draft.query}`,
    headers: draft.headers,
    body: draft.body,
    refused: draft.refusedByTransport || (method === route.method && draft.refusedByRoute),
    ...(draft.truncated ? { truncated: true } : {}),
  };
}

/** The model the gateway will use: `X-Model`, then `?model=`, then the path or the body's `model` (choose-model-name.ts). */
function effectiveModel(draft: Draft, routeModel: string, sources: { header: string | undefined; query: string | undefined }): string {
  // Retrieving a model reads the path alone; `/v1/models/` (no name) is the list.
  if (draft.route.name === 'model') return routeModel === '' ? 'llama3.2' : routeModel;
  for (const candidate of [sources.header, sources.query]) if (candidate !== undefined && candidate.trim() !== '') return candidate.trim();
  if (draft.route.name === 'llm') return routeModel.trim();
  const body = parseOrUndefined(draft.bodyText ?? '') as { model?: unknown } | undefined;
  return typeof body?.model === 'string' ? body.model.trim() : '';
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function addModelSources(draft: Draft, sources: { header: string | undefined; query: string | undefined }): void {
  if (sources.header !== undefined) draft.headers.push(['x-model', Buffer.from(sources.header, 'utf8').toString('latin1')]);
  if (sources.query !== undefined) draft.query = `?model=${encodeURIComponent(sources.query)}`;
}

function addCredentials(draft: Draft, random: SeededRandom): void {
  const how = random.weighted<'bearer' | 'x-api-key' | 'none' | 'wrong' | 'basic'>([[12, 'bearer'], [3, 'x-api-key'], [1, 'none'], [1, 'wrong'], [1, 'basic']]);
  if (how === 'bearer') draft.headers.push(['authorization', `Bearer ${FUZZ_KEY}`]);
  if (how === 'x-api-key') draft.headers.push(['x-api-key', FUZZ_KEY]);
  if (how === 'wrong') draft.headers.push(['authorization', 'Bearer not-the-key']);
  if (how === 'basic') draft.headers.push(['authorization', `Basic ${Buffer.from(`user:${FUZZ_KEY}`).toString('base64')}`]);
  if (how !== 'bearer' && how !== 'x-api-key' && draft.route.open !== true) draft.refusedByTransport = true;
  if (how !== 'none') draft.labels.push(`auth-${how}`);
  // Credentials the gateway does not use, which must not be passed on either.
  if (random.chance(0.3)) draft.headers.push(['cookie', `session=${PLANTED_SECRETS[0]}`]);
  if (random.chance(0.2)) draft.headers.push(['proxy-authorization', `Basic ${PLANTED_SECRETS[1]}`]);
  if (random.chance(0.2)) draft.headers.push(['api-key', PLANTED_SECRETS[2]]);
}

/** The body: well-formed, mutated, broken, nested too deep, sized at or over the limit, oddly encoded. */
function draftBody(draft: Draft, route: FuzzRoute, model: string, random: SeededRandom): void {
  const base = route.body!(model, random);
  const shape = random.weighted<'valid' | 'mutated' | 'truncated' | 'garbage' | 'deep' | 'at-limit' | 'over-limit' | 'bad-utf8'>([
    [5, 'valid'],
    [8, 'mutated'],
    [2, 'truncated'],
    [1, 'garbage'],
    [2, 'deep'],
    [1, 'at-limit'],
    [1, 'over-limit'],
    [2, 'bad-utf8'],
  ]);
  draft.labels.push(shape);
  let text = JSON.stringify(base);
  let bytes: Buffer;
  if (shape === 'mutated') text = mutateJson(base, random, FUZZ_MAX_DEPTH);
  if (shape === 'truncated') text = text.slice(0, random.int(0, text.length - 1));
  if (shape === 'garbage') text = random.pick(['', 'null', '[]', '"text"', 'model=llama3.2', '{"a":1}{"b":2}', '\u0000\u0001', '{,}', adversarialValueText(random, 8)]);
  if (shape === 'deep') text = text.replace(/}$/, `,"deep":${nestedText(random.int(FUZZ_MAX_DEPTH + 1, random.chance(0.5) ? 200 : 20_000), random.chance(0.5) ? 'array' : 'object')}}`);
  bytes = Buffer.from(text, 'utf8');
  if (shape === 'at-limit' || shape === 'over-limit') bytes = padTo(text, FUZZ_BODY_LIMIT + (shape === 'over-limit' ? random.int(1, 1000) : 0));
  if (shape === 'bad-utf8') bytes = withInvalidUtf8(bytes, random);
  draft.bodyText = text;
  // The gateway reads these bodies itself: what is not JSON, too deep or too large goes no further.
  // A route that reads an empty (or null) body as `{}` is sure to refuse only the too deep and too large.
  // An empty text is no sure refusal either: compressed, it is a body, and an empty body parses as `{}`.
  const sureRefusal = shape === 'deep' || shape === 'over-limit' || (route.acceptsEmptyBody !== true && text !== '' && (shape === 'truncated' || !isJsonObject(text)));
  if (route.parsesJson && sureRefusal) draft.refusedByRoute = true;
  draft.body = encodeBody(draft, bytes, random);
  if (random.chance(0.05) && draft.body.length > 2) {
    // Content-Length promises more than is sent, and the client ends its side: the body never completes.
    draft.headers.push(['content-length', String(draft.body.length + random.int(1, 100))]);
    draft.truncated = true;
    if (route.parsesJson) draft.refusedByRoute = true;
    draft.labels.push('short-body');
  }
}

function isJsonObject(text: string): boolean {
  const value = parseOrUndefined(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON text padded (inside a string field) to exactly `size` bytes. */
function padTo(text: string, size: number): Buffer {
  const skeleton = text.replace(/}$/, ',"padding":""}');
  const missing = Math.max(0, size - Buffer.byteLength(skeleton));
  return Buffer.from(skeleton.replace(/""}$/, `"${'p'.repeat(missing)}"}`), 'utf8');
}

/** Invalid UTF-8 sequences, inside strings (JSON still) or anywhere. */
function withInvalidUtf8(bytes: Buffer, random: SeededRandom): Buffer {
  const invalid = Buffer.from(random.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xc0, 0xaf]]));
  const quote = bytes.indexOf('"hi"');
  const at = quote >= 0 && random.chance(0.7) ? quote + 1 : random.int(0, bytes.length);
  return Buffer.concat([bytes.subarray(0, at), invalid, bytes.subarray(at)]);
}

/** Content type, charset and content encoding: ordinary, odd, unsupported, or lying about the body. */
function encodeBody(draft: Draft, bytes: Buffer, random: SeededRandom): Buffer {
  // A body that decodes to nothing is as good as `{}` to a lenient route: no sure refusal there.
  const parses = draft.route.parsesJson && draft.route.acceptsEmptyBody !== true;
  const type = random.weighted<string | undefined>([
    [10, 'application/json'],
    [2, undefined],
    [1, 'text/plain'],
    [1, 'application/x-www-form-urlencoded'],
    [1, 'multipart/form-data; boundary=fuzz'],
    [1, 'application/json; charset=utf-8'],
    [1, 'application/json; charset=latin1'],
    [1, 'application/json; charset=utf-16'],
    [1, 'application/json; charset=no-such-charset'],
  ]);
  if (type !== undefined) draft.headers.push(['content-type', type]);
  if (type !== undefined && /charset=(latin1|utf-16|no-such)/.test(type)) {
    draft.labels.push('odd-charset');
    // Without a body there is nothing to decode.
    if (parses && bytes.length > 0) draft.refusedByRoute = true;
  }
  const encoding = random.weighted<string>([[16, 'identity'], [2, 'gzip'], [1, 'deflate'], [1, 'br'], [1, 'gzip-lie'], [1, 'compress'], [1, 'bogus']]);
  if (encoding === 'identity') return bytes;
  draft.labels.push(`encoding-${encoding}`);
  if (encoding === 'gzip-lie' || encoding === 'compress' || encoding === 'bogus') {
    draft.headers.push(['content-encoding', encoding === 'gzip-lie' ? 'gzip' : encoding]);
    if (parses && bytes.length > 0) draft.refusedByRoute = true;
    return bytes;
  }
  draft.headers.push(['content-encoding', encoding]);
  return encoding === 'gzip' ? gzipSync(bytes) : encoding === 'deflate' ? deflateSync(bytes) : brotliCompressSync(bytes);
}

/** Duplicate, oversized, odd and conflicting headers. */
function distortHeaders(draft: Draft, random: SeededRandom): void {
  if (random.chance(0.05)) {
    draft.headers.push(['x-fuzz-oversized', 'o'.repeat(random.int(17_000, 40_000))]);
    draft.refusedByTransport = true;
    draft.labels.push('oversized-header');
  }
  if (random.chance(0.05)) {
    for (let index = 0; index < random.int(50, 300); index++) draft.headers.push([`x-fuzz-${index}`, String(index)]);
    draft.labels.push('many-headers');
  }
  if (random.chance(0.05)) draft.headers.push(['x-model', random.pick(PROTOTYPE_NAMES)], ['x-model', 'llama3.2']);
  // A second Authorization header: Node keeps the first, so the outcome is the first one's.
  if (random.chance(0.05) && draft.headers.some(([name]) => name === 'authorization')) draft.headers.push(['authorization', random.pick([`Bearer ${FUZZ_KEY}`, 'Bearer second-key'])]);
  if (random.chance(0.06)) {
    const priority = random.pick(['0', '9', '5', '-1', '10', 'high', '1e3', '']);
    draft.headers.push(['x-priority', priority]);
    if (!/^[0-9]?$/.test(priority) && draft.route.resolvesModel && draft.route.name !== 'model') draft.refusedByRoute = true;
  }
  if (random.chance(0.05)) draft.headers.push(['x-request-id', random.pick(['ok-id-1', 'x'.repeat(500), 'bad id with spaces', '__proto__', '../'])]);
  if (random.chance(0.05)) draft.headers.push(['accept', random.pick(['application/x-ndjson', 'text/event-stream', '*/*', 'application/xml'])]);
  if (random.chance(0.06)) {
    const expectation = random.pick(['100-continue', '100-Continue', 'something-else', '200-ok']);
    draft.headers.push(['expect', expectation]);
    if (!/^100-continue$/i.test(expectation)) draft.refusedByTransport = true;
    draft.labels.push(`expect-${expectation}`);
  }
}

/** Percent-encoding that does not decode, dot segments, doubled slashes, a very long path. */
function distortPath(draft: Draft, random: SeededRandom): void {
  const distortion = random.pick(['%E0%A4%A', '%FF', '%', '%zz', '/%2e%2e/%2e%2e', '//', `/${'a'.repeat(random.int(2000, 7000))}`, '/%00', '/..']);
  const path = random.chance(0.5) ? `${draft.path}${distortion.startsWith('/') ? '' : '/'}${distortion}` : draft.path.replace(/\/[^/]*$/, `/${distortion.replace(/^\//, '')}`);
  // A path of slashes alone is served as the banner (`/`) once the key is checked: not worth the special case.
  if (/^\/+$/.test(path)) return;
  draft.labels.push('odd-path');
  draft.path = path;
  if (/%(?![0-9a-fA-F]{2})|%E0%A4%A$|%FF/.test(draft.path)) draft.refusedByTransport = true;
}
