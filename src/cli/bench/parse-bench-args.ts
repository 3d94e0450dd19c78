import { parseArgs } from 'node:util';
import { parseDurationMilliseconds } from './parse-duration.ts';

export const benchApis = ['openai-chat', 'openai-completions', 'ollama-chat', 'ollama-generate'] as const;
/** The wire protocol the target speaks. */
export type BenchApi = (typeof benchApis)[number];

/** Validated settings for one `llm-sidecar bench` run. */
export interface BenchOptions {
  url: URL;
  api: BenchApi;
  model: string;
  /** Closed loop: parallel workers. Open loop: the connection pool, beyond which requests wait. */
  concurrency: number;
  /** Stop after this many measured requests (null: only the duration bounds the run). */
  requests: number | null;
  /** Stop starting requests after this long (null: only the request count bounds the run). */
  durationMs: number | null;
  stream: boolean;
  prompt: string | null;
  promptsFile: string | null;
  maxTokens: number | null;
  headers: Record<string, string>;
  warmup: number;
  /** Open loop at this many request starts per second; null means closed loop. */
  ratePerSecond: number | null;
  json: boolean;
  timeoutMs: number;
  /** After a 429/503 with `Retry-After`, start no request until it has passed. */
  honourRetryAfter: boolean;
}

export type ParsedBenchArgs =
  | { kind: 'help' }
  | { kind: 'options'; options: BenchOptions }
  | { kind: 'invalid'; problems: string[] };

const defaultRequests = 100;
const defaultOpenLoopConcurrency = 64;
const defaultTimeoutMs = 60_000;

export const benchUsage = `Usage: llm-sidecar bench --url URL --model NAME [options]

Load-tests an OpenAI-compatible server or Ollama's native API and prints a summary.

Target
  --url URL               base URL: http://127.0.0.1:4000/v1 (OpenAI-compatible)
                          or http://127.0.0.1:11434 (with --api ollama-chat|ollama-generate)
  --api API               openai-chat (default) | openai-completions | ollama-chat | ollama-generate
  --model NAME            model to ask for (required)
  --header 'K: V'         extra request header (repeatable)
  --api-key KEY           sent as Authorization: Bearer KEY

Load
  --concurrency N         parallel requests (default 1); with --rate, the connection pool size
                          (default ${defaultOpenLoopConcurrency}): requests beyond it wait for a connection,
                          and the wait counts in their latency
  --requests N            measured requests (default ${defaultRequests} when --duration is absent)
  --duration D            stop starting requests after D (30s, 500ms, 2m); with --requests, first bound wins
  --rate R                open loop: start R requests per second whatever the completions;
                          latency counts from each request's scheduled start
  --warmup N              unmeasured requests sent first (default 0)
  --timeout D             per-request timeout (default ${defaultTimeoutMs / 1000}s)
  --ignore-retry-after    keep sending after a 429/503 with Retry-After (overload tests); by default
                          no request starts until the delay it asks for has passed

Requests
  --stream                stream responses (time to first token is measured only when streaming)
  --prompt TEXT           one prompt for every request
  --prompts-file FILE     one prompt per line, or JSONL lines of chat messages (a JSON array, or an
                          object with "messages"); used round-robin. Default: a built-in varied set
  --max-tokens N          output limit (max_tokens, or options.num_predict for Ollama)

Output
  --json                  write the summary as JSON to stdout (progress still goes to stderr)
  -h, --help              this text

Exit codes: 0 run finished, 1 every request failed, 2 invalid arguments,
130 interrupted (Ctrl-C): the partial summary is printed, marked "partial";
a second Ctrl-C ends the process at once.
`;

/** Parses the arguments after `bench`, reporting every problem at once. */
export function parseBenchArgs(argv: readonly string[]): ParsedBenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        api: { type: 'string', default: 'openai-chat' },
        model: { type: 'string' },
        concurrency: { type: 'string' },
        requests: { type: 'string' },
        duration: { type: 'string' },
        stream: { type: 'boolean', default: false },
        prompt: { type: 'string' },
        'prompts-file': { type: 'string' },
        'max-tokens': { type: 'string' },
        header: { type: 'string', multiple: true, default: [] },
        'api-key': { type: 'string' },
        warmup: { type: 'string', default: '0' },
        rate: { type: 'string' },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'ignore-retry-after': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'invalid', problems: [(error as Error).message] };
  }
  if (values.help) return { kind: 'help' };

  const problems: string[] = [];
  const url = parseBaseUrl(values.url, problems);
  const api = parseApi(values.api, problems);
  if (values.model === undefined || values.model === '') problems.push('--model is required');
  const ratePerSecond = parsePositiveNumber('--rate', values.rate, problems);
  const concurrency =
    parsePositiveInteger('--concurrency', values.concurrency, problems) ??
    (ratePerSecond === null ? 1 : defaultOpenLoopConcurrency);
  const explicitRequests = parsePositiveInteger('--requests', values.requests, problems);
  const durationMs = parseDuration('--duration', values.duration, problems);
  const timeoutMs = parseDuration('--timeout', values.timeout, problems) ?? defaultTimeoutMs;
  const maxTokens = parsePositiveInteger('--max-tokens', values['max-tokens'], problems);
  const warmup = parseCount('--warmup', values.warmup, problems);
  const headers = parseHeaders(values.header, problems);
  if (values['api-key'] !== undefined) headers['authorization'] = `Bearer ${values['api-key']}`;
  if (values.prompt !== undefined && values['prompts-file'] !== undefined) {
    problems.push('--prompt and --prompts-file cannot be used together');
  }

  if (problems.length > 0 || url === null || api === null) return { kind: 'invalid', problems };
  return {
    kind: 'options',
    options: {
      url,
      api,
      model: values.model ?? '',
      concurrency,
      requests: explicitRequests ?? (durationMs === null ? defaultRequests : null),
      durationMs,
      stream: values.stream,
      prompt: values.prompt ?? null,
      promptsFile: values['prompts-file'] ?? null,
      maxTokens,
      headers,
      warmup,
      ratePerSecond,
      json: values.json,
      timeoutMs,
      honourRetryAfter: !values['ignore-retry-after'],
    },
  };
}

function parseBaseUrl(text: string | undefined, problems: string[]): URL | null {
  if (text === undefined) {
    problems.push('--url is required');
    return null;
  }
  const url = URL.parse(text);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(`--url must be an http(s) URL, got "${text}"`);
    return null;
  }
  return url;
}

function parseApi(text: string, problems: string[]): BenchApi | null {
  const api = benchApis.find((candidate) => candidate === text);
  if (api === undefined) problems.push(`--api must be one of ${benchApis.join(', ')}, got "${text}"`);
  return api ?? null;
}

function parsePositiveNumber(flag: string, text: string | undefined, problems: string[]): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    problems.push(`${flag} must be a positive number, got "${text}"`);
    return null;
  }
  return value;
}

function parsePositiveInteger(flag: string, text: string | undefined, problems: string[]): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    problems.push(`${flag} must be a positive integer, got "${text}"`);
    return null;
  }
  return Number(text);
}

function parseCount(flag: string, text: string, problems: string[]): number {
  if (!/^\d+$/.test(text)) {
    problems.push(`${flag} must be a whole number, got "${text}"`);
    return 0;
  }
  return Number(text);
}

function parseDuration(flag: string, text: string | undefined, problems: string[]): number | null {
  if (text === undefined) return null;
  const milliseconds = parseDurationMilliseconds(text);
  if (milliseconds === null) problems.push(`${flag} must be a duration such as 30s, 500ms or 2m, got "${text}"`);
  return milliseconds;
}

function parseHeaders(lines: readonly string[], problems: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const separator = line.indexOf(':');
    const name = line.slice(0, separator).trim().toLowerCase();
    if (separator < 1 || name === '') {
      problems.push(`--header must look like 'Name: value', got "${line}"`);
      continue;
    }
    headers[name] = line.slice(separator + 1).trim();
  }
  return headers;
}
