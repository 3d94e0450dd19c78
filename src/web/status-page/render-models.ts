import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { element, table } from './create-element.ts';
import { formatMs, formatRate } from './format-values.ts';
import { sparkline } from './sparkline.ts';

type Model = StatusStreamEvent['status']['models'][number];

function queuedCell(model: Model): HTMLTableCellElement {
  const oldest = model.oldest_wait_ms;
  return element('td', { class: 'number', 'data-field': 'queued' }, String(model.queued), oldest === null ? null : element('div', { class: 'muted', 'data-field': 'oldest-wait' }, `oldest ${formatMs(oldest)}`));
}

/** "left / amount per interval": what this replica's reservoir still lets start in its current window. */
function reservoirCell(model: Model): HTMLTableCellElement {
  const reservoir = model.limits.reservoir;
  if (reservoir === null || model.reservoir_left === null) return element('td', { 'data-field': 'reservoir' }, '–');
  return element('td', { class: 'number', 'data-field': 'reservoir' }, `${model.reservoir_left} / ${reservoir.amount} per ${formatMs(reservoir.refresh_interval_ms)}`);
}

function rejectionsCell(model: Model): HTMLTableCellElement {
  const reasons = Object.entries(model.rejected).filter(([, count]) => count > 0);
  if (reasons.length === 0) return element('td', { class: 'number' }, '0');
  return element('td', {}, element('ul', { class: 'plain' }, ...reasons.map(([reason, count]) => element('li', {}, `${reason.replaceAll('_', ' ')}: ${count}`))));
}

/** The sparklines of one model over the recorded history. */
function trendCell(event: StatusStreamEvent, name: string): HTMLTableCellElement {
  const points = event.history.samples.map((sample) => sample.models[name]);
  const minutes = Math.round((event.history.samples.length * event.history.interval_s) / 60);
  const span = minutes >= 1 ? `last ${minutes} min` : 'since start';
  return element(
    'td',
    { class: 'trends' },
    sparkline(points.map((point) => point?.queued ?? 0), `Queue depth, ${span}`, String),
    sparkline(points.map((point) => point?.tokens_per_s ?? null), `Tokens per second, ${span}`, formatRate),
    sparkline(points.map((point) => point?.ttft_p50_ms ?? null), `Time to first token, ${span}`, formatMs),
  );
}

/** One row per model: limits, active, queued, reservoir, rates, TTFT percentiles, rejections, trends. */
export function renderModels(event: StatusStreamEvent): HTMLElement {
  const rows = event.status.models.map((model) => {
    const live = event.live.models[model.name];
    return element(
      'tr',
      { 'data-model': model.name },
      element('th', { scope: 'row' }, model.name, model.aliases.length > 0 ? element('div', { class: 'muted' }, model.aliases.join(', ')) : null, model.loaded === null ? null : element('div', { class: 'badge' }, 'loaded')),
      element('td', { class: 'number', 'data-field': 'active' }, `${model.active} / ${model.limits.max_concurrent}`),
      queuedCell(model),
      element('td', { class: 'number' }, String(model.limits.max_queue)),
      reservoirCell(model),
      element('td', { class: 'number' }, formatRate(live?.requests_per_s)),
      element('td', { class: 'number' }, formatRate(live?.tokens_per_s)),
      element('td', { class: 'number' }, `${formatMs(live?.ttft_p50_ms)} / ${formatMs(live?.ttft_p95_ms)}`),
      rejectionsCell(model),
      trendCell(event, model.name),
    );
  });
  return table(
    `Models (rates over the last ${Math.round(event.live.window_s / 60)} min)`,
    ['Model', 'Active / limit', 'Queued', 'Queue limit', 'Rate reservoir', 'Req/s', 'Tokens/s', 'TTFT p50 / p95', 'Rejected', 'Queue · tokens/s · TTFT'],
    rows,
    'No model known yet.',
  );
}
