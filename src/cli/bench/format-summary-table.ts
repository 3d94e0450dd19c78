import type { BenchSummary } from './summarise-results.ts';

/** Renders the summary as the aligned two-column table printed at the end of a run. */
export function formatSummaryTable(summary: BenchSummary): string {
  const { target, requests, latencyMs, timeToFirstTokenMs, outputTokens } = summary;
  const rows: Array<[string, string]> = [
    ['target', `${target.api} ${target.url}  model ${target.model}${target.stream ? '  streaming' : ''}`],
    ['load', describeLoad(summary)],
    [
      'requests',
      `${requests.completed} (${requests.succeeded} ok, ${requests.rejected} rejected, ${requests.failed} failed` +
        (summary.partial ? `, ${requests.abortedInFlight} cut off in flight` : '') +
        ')',
    ],
    ['duration', `${summary.durationSeconds.toFixed(2)} s`],
    ['throughput', `${summary.requestsPerSecond.toFixed(2)} req/s`],
    ['latency', (['p50', 'p90', 'p99', 'max'] as const).map((key) => `${key} ${formatMs(latencyMs[key])}`).join('  ')],
    [
      'first token',
      target.stream
        ? `p50 ${formatMs(timeToFirstTokenMs.p50)}  p99 ${formatMs(timeToFirstTokenMs.p99)}`
        : 'not measured (use --stream)',
    ],
    [
      'tokens',
      `${outputTokens.perSecond.toFixed(1)} tokens/s  (${outputTokens.total} output tokens` +
        (outputTokens.requestsWithoutUsage > 0 ? `; ${outputTokens.requestsWithoutUsage} requests without usage` : '') +
        ')',
    ],
    ...describeErrors(summary.errors),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const title = `llm-sidecar bench — ${summary.partial ? 'partial summary (interrupted)' : 'summary'}`;
  return [title, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join('\n') + '\n';
}

function describeLoad({ load }: BenchSummary): string {
  const warmup = load.warmup > 0 ? `, ${load.warmup} warm-up requests` : '';
  return load.mode === 'open-loop'
    ? `open loop at ${load.ratePerSecond} req/s, ${load.concurrency} connections${warmup}`
    : `closed loop, concurrency ${load.concurrency}${warmup}`;
}

function describeErrors(errors: BenchSummary['errors']): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['429', `${errors.rateLimited.count} (${errors.rateLimited.withRetryAfter} with Retry-After)`],
    ['503', `${errors.overloaded.count} (${errors.overloaded.withRetryAfter} with Retry-After)`],
  ];
  for (const [status, count] of Object.entries(errors.byStatus)) {
    if (status !== '429' && status !== '503') rows.push([status, String(count)]);
  }
  if (errors.responseErrors > 0) rows.push(['error bodies', String(errors.responseErrors)]);
  if (errors.timeouts > 0) rows.push(['timeouts', String(errors.timeouts)]);
  for (const [code, count] of Object.entries(errors.network)) rows.push([`network ${code}`, String(count)]);
  return rows;
}

function formatMs(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} ms`;
}
