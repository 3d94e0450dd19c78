import type { Server } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { OpenApiDocument } from '../../src/http/routes/docs.ts';

// ajv-formats is CommonJS with `exports.default`; Node's ESM import hands over the whole module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

/** One response as the client received it. */
export interface ObservedResponse {
  method: string;
  /** The URL path without the query. */
  path: string;
  status: number;
  contentType: string;
  body: string;
  /** The gateway's `X-Request-Id`, to find the request's log line. */
  requestId: string | undefined;
}

const SPEC_ID = 'https://llm-sidecar.local/openapi.json';
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** `#/a/b~1c` → ['a', 'b/c'] */
const pointerOf = (reference: string): string[] => reference.replace(/^#\//, '').split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
const escapePointerPart = (part: string): string => part.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Checks responses against the OpenAPI document: the route and method exist (or the answer is the
 * generic 404/405 error), the status is documented, and every JSON body — each SSE `data:` event and
 * NDJSON line too — validates against the schema the document gives for that route, status and type.
 */
export class SpecChecker {
  readonly document: OpenApiDocument;
  #ajv: Ajv2020;
  #validators = new Map<string, ValidateFunction>();
  #templates: Array<{ template: string; pattern: RegExp }>;

  constructor(document: OpenApiDocument) {
    this.document = document;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ ...document, $id: SPEC_ID });
    const paths = Object.keys(document['paths'] as Record<string, unknown>);
    // The most literal template first: `/v1/llm/{model}/pull` before `/v1/llm/{model}`.
    this.#templates = paths
      .map((template) => ({ template, pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('(.+)')}$`) }))
      .sort((left, right) => right.template.replace(/\{[^}]+\}/g, '').length - left.template.replace(/\{[^}]+\}/g, '').length);
  }

  /** The spec path template a concrete path belongs to. */
  templateOf(path: string): string | undefined {
    return this.#templates.find(({ pattern }) => pattern.test(path))?.template;
  }

  /** Every (METHOD, template) the document describes. */
  operations(): Array<{ method: string; template: string; operation: Record<string, unknown> }> {
    return Object.entries(this.document['paths'] as Record<string, Record<string, unknown>>).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.has(method))
        .map(([method, operation]) => ({ method: method.toUpperCase(), template, operation: operation as Record<string, unknown> })),
    );
  }

  /** What is wrong with a response, per the document; empty when it matches. */
  problemsOf(response: ObservedResponse): string[] {
    const label = `${response.method} ${response.path} → ${response.status}`;
    // Express routes without strict routing: one trailing slash does not make another path.
    const template = this.templateOf(response.path.length > 1 && response.path.endsWith('/') ? response.path.slice(0, -1) : response.path);
    // HTTP serves HEAD like GET, without the body.
    const head = response.method === 'HEAD';
    const documentedMethod = response.method.toLowerCase();
    const method = head && template !== undefined && this.#resolve(['paths', template, 'head']) === undefined ? 'get' : documentedMethod;
    const operationPointer = template === undefined ? undefined : ['paths', template, method];
    const operation = operationPointer && this.#resolve(operationPointer);
    if (operation === undefined) {
      // Unknown URLs and wrong methods get the generic error body of the path's dialect, documented
      // once; so do the checks that come before a handler (the key, a path that does not decode, a body
      // that cannot be read on a path Express matches more loosely than the spec's templates, e.g. `/v1/llm//`).
      if (![400, 401, 403, 404, 405, 413, 415].includes(response.status)) return [`${label}: no operation ${method.toUpperCase()} ${response.path} in the spec`];
      if (head) return [];
      if (!response.path.startsWith('/api/')) return this.#checkBody(label, ['components', 'schemas', 'Error'], response.body);
      return response.contentType.startsWith('text/plain') ? [] : this.#checkBody(label, ['components', 'schemas', 'OllamaError'], response.body);
    }
    if (head && response.body !== '') return [`${label}: a HEAD answer with a body`];
    if (head) return this.#followResponseReference([...operationPointer!, 'responses', String(response.status)]) === undefined ? [`${label}: status ${response.status} is not documented for ${method.toUpperCase()} ${template}`] : [];
    const responsePointer = this.#followResponseReference([...operationPointer!, 'responses', String(response.status)]);
    if (responsePointer === undefined) return [`${label}: status ${response.status} is not documented for ${method.toUpperCase()} ${template}`];
    const mediaType = response.contentType.split(';')[0]!.trim().toLowerCase();
    const content = this.#resolve([...responsePointer, 'content']) as Record<string, Record<string, unknown>> | undefined;
    if (content === undefined) return response.body === '' ? [] : [`${label}: the spec documents no body`];
    const media = content[mediaType];
    if (media === undefined) return [`${label}: content type ${mediaType} is not documented (${Object.keys(content).join(', ')})`];
    const mediaPointer = [...responsePointer, 'content', mediaType];
    if (mediaType === 'application/json') return this.#checkBody(label, [...mediaPointer, 'schema'], response.body);
    if (mediaType === 'text/event-stream' && media['x-sse-data'] !== undefined) return this.#checkEvents(label, [...mediaPointer, 'x-sse-data'], response.body);
    if (mediaType === 'application/x-ndjson' && media['x-ndjson-line'] !== undefined) {
      const lines = response.body.split('\n').filter((line) => line.trim() !== '');
      return lines.flatMap((line) => this.#checkBody(label, line.startsWith('{"error"') ? ['components', 'schemas', 'Error'] : [...mediaPointer, 'x-ndjson-line'], line));
    }
    return [];
  }

  /** Validates `value` against the schema at a pointer of the document (e.g. an example against its schema). */
  problemsOfValue(label: string, pointer: string[], value: unknown): string[] {
    const validate = this.#validatorAt(pointer);
    return validate(value) ? [] : [`${label}: ${this.#ajv.errorsText(validate.errors, { separator: '; ' })}`];
  }

  #checkBody(label: string, schemaPointer: string[], body: string): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${label}: body is not JSON: ${body.slice(0, 200)}`];
    }
    return this.problemsOfValue(label, schemaPointer, value);
  }

  /** Each `data:` event is a chunk, or the final `{"error": …}` event, or `[DONE]`; comments are skipped. */
  #checkEvents(label: string, schemaPointer: string[], body: string): string[] {
    const events = body.split(/\n\n/).map((block) => block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n'));
    return events
      .filter((data) => data !== '' && data !== '[DONE]')
      .flatMap((data) => {
        const isError = data.startsWith('{"error"');
        return this.#checkBody(`${label} (event ${data.slice(0, 60)}…)`, isError ? ['components', 'schemas', 'Error'] : schemaPointer, data);
      });
  }

  #followResponseReference(pointer: string[]): string[] | undefined {
    const node = this.#resolve(pointer) as { $ref?: string } | undefined;
    if (node === undefined) return undefined;
    return typeof node.$ref === 'string' ? this.#followResponseReference(pointerOf(node.$ref)) : pointer;
  }

  #resolve(pointer: string[]): unknown {
    let node: unknown = this.document;
    for (const part of pointer) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node;
  }

  #validatorAt(pointer: string[]): ValidateFunction {
    const reference = `${SPEC_ID}#/${pointer.map(escapePointerPart).join('/')}`;
    let validate = this.#validators.get(reference);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: reference });
      this.#validators.set(reference, validate);
    }
    return validate;
  }
}

/**
 * Records every response a server sends, body included, from outside the app: a `request` listener
 * placed before the app's that wraps `write` and `end`. Streams are recorded whole when they finish.
 */
export function recordResponses(server: Server): ObservedResponse[] {
  const observed: ObservedResponse[] = [];
  server.prependListener('request', (req, res) => {
    const chunks: Buffer[] = [];
    const capture = (chunk: unknown, encoding: unknown): void => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    // Headers given to writeHead without an earlier setHeader are not readable through getHeader.
    let contentType = '';
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      const headers = args.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as Record<string, unknown> | undefined;
      for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() === 'content-type') contentType = String(value);
      return writeHead(...args);
    }) as typeof res.writeHead;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      capture(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') capture(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as typeof res.end;
    res.once('finish', () => {
      observed.push({
        method: req.method ?? 'GET',
        // As the gateway routes it: no dot-segment resolution (WHATWG URL would turn `/%2e%2e/x` into `/x`).
        path: (req.url ?? '/').split('?', 1)[0] ?? '/',
        status: res.statusCode,
        contentType: String(res.getHeader('content-type') ?? contentType),
        body: Buffer.concat(chunks).toString('utf8'),
        requestId: res.getHeader('x-request-id')?.toString(),
      });
    });
  });
  return observed;
}

/**
 * For `startStack()`: records every response the gateway sends (the `X-Request-Id` tells them from
 * anything else) and lists each one that does not match openapi.yaml.
 */
/**
 * Responses the spec describes: the gateway's own (they carry a request id), minus CORS preflights
 * (the browser's protocol) and the static assets of the `/docs` and `/status` pages.
 */
function isApiResponse(response: ObservedResponse): boolean {
  return response.requestId !== undefined && response.method !== 'OPTIONS' && !response.path.startsWith('/docs/assets/') && !response.path.startsWith('/status/assets/');
}

export function watchResponsesAgainstSpec(server: Server, document: OpenApiDocument): { problems(): string[] } {
  const observed = recordResponses(server);
  const checker = new SpecChecker(document);
  return {
    problems: () => observed.filter(isApiResponse).flatMap((response) => checker.problemsOf(response)),
  };
}
