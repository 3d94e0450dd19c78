import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { describeKeyRows } from '../../status/describe-key-rows.ts';
import { formatColumns } from './format-columns.ts';

const DASH = '-';

const rate = (value: number | null | undefined): string => (value === null || value === undefined ? DASH : value >= 100 ? value.toFixed(0) : value.toFixed(1));
const ms = (value: number | null | undefined): string => (value === null || value === undefined ? DASH : value >= 1000 ? `${(value / 1000).toFixed(1)}s` : `${Math.round(value)}ms`);
const cell = (value: number | null): string => (value === null ? DASH : String(value));

/** "left/amount" of the model's rate reservoir in its current window (this replica's). */
function reservoir(model: StatusStreamEvent['status']['models'][number]): string {
  const limits = model.limits.reservoir;
  return limits === null || model.reservoir_left === null ? DASH : `${model.reservoir_left}/${limits.amount}`;
}

function modelLines(event: StatusStreamEvent, width: number): string[] {
  const rows = event.status.models.map((model) => {
    const live = event.live.models[model.name];
    const rejected = Object.values(model.rejected).reduce((sum, count) => sum + count, 0);
    return [model.name, String(model.active), String(model.queued), String(model.limits.max_concurrent), ms(model.oldest_wait_ms), rate(live?.requests_per_s), rate(live?.tokens_per_s), ms(live?.ttft_p50_ms), ms(live?.ttft_p95_ms), String(rejected), reservoir(model), model.loaded === null ? '' : 'loaded'];
  });
  const numeric = { alignRight: true };
  return formatColumns(
    [{ heading: 'MODEL' }, { heading: 'ACTIVE', ...numeric }, { heading: 'QUEUED', ...numeric }, { heading: 'LIMIT', ...numeric }, { heading: 'WAITED', ...numeric }, { heading: 'REQ/S', ...numeric }, { heading: 'TOK/S', ...numeric }, { heading: 'TTFT50', ...numeric }, { heading: 'TTFT95', ...numeric }, { heading: 'REJ', ...numeric }, { heading: 'RESERVOIR', ...numeric }, { heading: '' }],
    rows,
    width,
  );
}

function nodeLines(event: StatusStreamEvent, width: number): string[] {
  const rows = event.status.upstreams.map((raw) => {
    const node = raw as typeof raw & Record<string, unknown>;
    const healthy = node.reachable;
    const inFlight = typeof node['in_flight'] === 'number' ? `${node['in_flight']}${typeof node['budget'] === 'number' ? `/${node['budget']}` : ''}` : DASH;
    return [node.name, healthy ? 'up' : 'DOWN', ms(node.round_trip_ms), inFlight, node.url, node.last_error ?? ''];
  });
  return formatColumns([{ heading: 'NODE' }, { heading: 'HEALTH' }, { heading: 'RTT', alignRight: true }, { heading: 'IN FLIGHT', alignRight: true }, { heading: 'URL' }, { heading: 'LAST ERROR' }], rows, width);
}

/** Per-key usage when the gateway has named API keys; nothing otherwise. */
function keyLines(event: StatusStreamEvent, width: number): string[] {
  const keys = describeKeyRows(event);
  if (keys.length === 0) return [];
  const rows = keys.map((key) => [key.name, cell(key.requests), rate(key.requests_per_s), cell(key.tokens_today), key.limited ? 'LIMITED' : 'no']);
  return ['', ...formatColumns([{ heading: 'KEY' }, { heading: 'REQUESTS', alignRight: true }, { heading: 'REQ/S', alignRight: true }, { heading: 'TOKENS TODAY', alignRight: true }, { heading: 'LIMITED' }], rows, width)];
}

/**
 * The whole view as lines, at most `width` wide: a title, models, nodes, keys, and the latest error.
 * Pure, so `--once` prints exactly what the live view shows.
 */
export function renderTopScreen(event: StatusStreamEvent, options: { url: string; width: number; footer?: string }): string[] {
  const status = event.status;
  const title = `llm-sidecar ${status.version}  ${options.url}  up ${status.uptime_s}s  in flight ${status.in_flight}  queued ${status.queued}${status.draining ? '  DRAINING' : ''}`;
  const latestError = event.recent_errors[0];
  return [
    title.slice(0, options.width),
    '',
    ...modelLines(event, options.width),
    '',
    ...nodeLines(event, options.width),
    ...keyLines(event, options.width),
    ...status.errors.map((error) => `! ${error}`.slice(0, options.width)),
    ...(latestError === undefined ? [] : ['', `last error ${latestError.at}: ${latestError.status} ${latestError.message}`.slice(0, options.width)]),
    ...(options.footer === undefined ? [] : ['', options.footer.slice(0, options.width)]),
  ];
}
