import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { acceptsMessages, buildBenchRequest, type BenchRequest } from './build-bench-request.ts';
import { formatSummaryTable } from './format-summary-table.ts';
import { loadPrompts, type BenchPrompt } from './load-prompts.ts';
import { benchUsage, parseBenchArgs, type BenchOptions } from './parse-bench-args.ts';
import { createProgressReporter } from './progress-reporter.ts';
import { runLoad, type LoadPlan, type SendRequest } from './run-load.ts';
import { sendBenchRequest, type RequestTarget } from './send-bench-request.ts';
import { summariseResults } from './summarise-results.ts';

/** Where the command writes, and an optional signal that interrupts it like Ctrl-C. */
export interface BenchIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  signal?: AbortSignal;
}

const exitCompleted = 0;
const exitAllFailed = 1;
const exitUsage = 2;
/** 128 + SIGINT, as shells report a Ctrl-C; the partial summary has been printed by then. */
const exitInterrupted = 130;

/**
 * `llm-sidecar bench [options]`: applies the requested load to the target, shows progress on
 * stderr and prints the summary (table, or JSON with --json) on stdout. Ctrl-C or `io.signal`
 * stops the run early: the partial summary is printed and the exit code is 130.
 */
export async function runBenchCommand(argv: string[], io: BenchIo): Promise<number> {
  const parsed = parseBenchArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout.write(benchUsage);
    return exitCompleted;
  }
  if (parsed.kind === 'invalid') {
    io.stderr.write(`${parsed.problems.map((problem) => `bench: ${problem}\n`).join('')}\n${benchUsage}`);
    return exitUsage;
  }
  const options = parsed.options;
  let requests: BenchRequest[];
  try {
    requests = buildRequests(options, await loadPrompts(options));
  } catch (error) {
    io.stderr.write(`bench: ${(error as Error).message}\n`);
    return exitUsage;
  }

  const interruption = new AbortController();
  const interrupt = (): void => interruption.abort();
  io.signal?.addEventListener('abort', interrupt, { once: true });
  if (io.signal?.aborted) interrupt();
  process.once('SIGINT', interrupt);
  const agent = new Agent({
    connections: options.concurrency,
    keepAliveTimeout: 30_000,
    // Each request's own AbortSignal enforces --timeout over the whole exchange; undici's per-phase
    // timers would race it and report the same event as a network error.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  try {
    return await measure(options, requests, agent, interruption.signal, io);
  } finally {
    process.removeListener('SIGINT', interrupt);
    io.signal?.removeEventListener('abort', interrupt);
    await agent.destroy();
  }
}

function buildRequests(options: BenchOptions, prompts: BenchPrompt[]): BenchRequest[] {
  if (!acceptsMessages(options.api) && prompts.some((prompt) => prompt.kind === 'messages')) {
    throw new Error(`--api ${options.api} takes text prompts; the prompts file holds chat messages`);
  }
  return prompts.map((prompt) => buildBenchRequest(options.url.pathname, options, prompt));
}

async function measure(
  options: BenchOptions,
  requests: BenchRequest[],
  agent: Agent,
  signal: AbortSignal,
  io: BenchIo,
): Promise<number> {
  const now = (): number => performance.now();
  const target: RequestTarget = {
    dispatcher: agent,
    origin: options.url.origin,
    headers: options.headers,
    api: options.api,
    stream: options.stream,
    timeoutMs: options.timeoutMs,
    now,
  };
  const send: SendRequest = (index, startedAt) =>
    sendBenchRequest(target, requests[index % requests.length] as BenchRequest, startedAt, signal);

  if (options.warmup > 0) {
    io.stderr.write(`bench: warming up with ${options.warmup} requests\n`);
    const warmupPlan: LoadPlan = {
      concurrency: options.concurrency,
      requests: options.warmup,
      durationMs: null,
      ratePerSecond: null,
    };
    await runLoad(warmupPlan, send, { now, signal, honourRetryAfter: options.honourRetryAfter });
  }

  const interactive = io.stderr.isTTY === true;
  const progress = createProgressReporter({ stream: io.stderr, interactive, total: options.requests, now });
  const ticker = setInterval(() => progress.report(), interactive ? 250 : 2_000);
  ticker.unref();
  const run = await runLoad(options, send, { now, signal, honourRetryAfter: options.honourRetryAfter, onResult: (result) => progress.record(result) });
  clearInterval(ticker);
  progress.finish();

  const summary = summariseResults({ ...options, url: options.url.href }, run);
  io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummaryTable(summary));
  if (summary.partial) return exitInterrupted;
  return summary.requests.completed > 0 && summary.requests.succeeded === 0 ? exitAllFailed : exitCompleted;
}
