import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { element, table } from './create-element.ts';
import { formatBytes, formatClock, formatMs } from './format-values.ts';

type Upstream = StatusStreamEvent['status']['upstreams'][number] & Record<string, unknown>;
interface LoadedModel {
  name: string;
  size_bytes?: number | null;
  expires_at?: string | null;
}

/** Whether a node answers: `healthy` when the pool reports it, else `reachable`. */
function isHealthy(node: Upstream): boolean {
  return typeof node['healthy'] === 'boolean' ? node['healthy'] : node.reachable;
}

/** The models a node has loaded: its own list when it reports one, else (one node) the models' `loaded`. */
function loadedModelsOf(node: Upstream, event: StatusStreamEvent): LoadedModel[] {
  const own = node['loaded_models'] ?? node['loaded'];
  if (Array.isArray(own)) return own.map((entry: unknown) => (typeof entry === 'string' ? { name: entry } : (entry as LoadedModel)));
  if (event.status.upstreams.length !== 1) return [];
  return event.status.models.flatMap((model) => (model.loaded === null ? [] : [{ name: model.name, size_bytes: model.loaded.size_bytes, expires_at: model.loaded.expires_at }]));
}

function inFlightOf(node: Upstream): string {
  const inFlight = node['in_flight'];
  const budget = node['budget'] ?? node['max_in_flight'];
  if (typeof inFlight !== 'number') return '–';
  return typeof budget === 'number' ? `${inFlight} / ${budget}` : String(inFlight);
}

/** One row per upstream node: health (red when down), round trip, in flight / budget, loaded models. */
export function renderNodes(event: StatusStreamEvent): HTMLElement {
  const rows = event.status.upstreams.map((raw) => {
    const node = raw as Upstream;
    const healthy = isHealthy(node);
    const loaded = loadedModelsOf(node, event);
    return element(
      'tr',
      { 'data-node': node.name, 'data-health': healthy ? 'up' : 'down' },
      element('th', { scope: 'row' }, node.name, element('div', { class: 'muted' }, node.url)),
      element('td', { 'data-field': 'health', class: 'health' }, healthy ? 'up' : 'down', node.last_error === null ? null : element('div', { class: 'muted' }, node.last_error)),
      element('td', { class: 'number' }, formatMs(node.round_trip_ms)),
      element('td', { class: 'number', 'data-field': 'in-flight' }, inFlightOf(node)),
      element(
        'td',
        {},
        loaded.length === 0
          ? '–'
          : element('ul', { class: 'plain' }, ...loaded.map((model) => element('li', {}, model.name, ' ', element('span', { class: 'muted' }, `${formatBytes(model.size_bytes)}, until ${formatClock(model.expires_at)}`)))),
      ),
    );
  });
  return table('Nodes', ['Node', 'Health', 'Round trip', 'In flight / budget', 'Loaded models'], rows, 'No upstream configured.');
}
