import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { element, table } from './create-element.ts';
import { formatBytes, formatClock, formatMs } from './format-values.ts';

type Upstream = StatusStreamEvent['status']['upstreams'][number] & Record<string, unknown>;
interface LoadedModel {
  name: string;
  size_bytes?: number | null;
  expires_at?: string | null;
}

/** The models a node has loaded: its own list of names when the pool reports one, else (one node) every loaded model; sizes and expiry from the models. */
function loadedModelsOf(node: Upstream, event: StatusStreamEvent): LoadedModel[] {
  const describe = (name: string): LoadedModel => {
    const loaded = event.status.models.find((model) => model.name === name)?.loaded;
    return { name, size_bytes: loaded?.size_bytes ?? null, expires_at: loaded?.expires_at ?? null };
  };
  const own = node['models_loaded'];
  if (Array.isArray(own)) return own.map((name: unknown) => describe(String(name)));
  if (event.status.upstreams.length !== 1) return [];
  return event.status.models.filter((model) => model.loaded !== null).map((model) => describe(model.name));
}

function inFlightOf(node: Upstream): string {
  const inFlight = node['in_flight'];
  const budget = node['budget'];
  if (typeof inFlight !== 'number') return '–';
  return typeof budget === 'number' ? `${inFlight} / ${budget}` : String(inFlight);
}

/** One row per upstream node: health (red when down), round trip, in flight / budget, loaded models. */
export function renderNodes(event: StatusStreamEvent): HTMLElement {
  const rows = event.status.upstreams.map((raw) => {
    const node = raw as Upstream;
    const healthy = node.reachable;
    const loaded = loadedModelsOf(node, event);
    return element(
      'tr',
      { 'data-node': node.name, 'data-health': healthy ? 'up' : 'down' },
      element('th', { scope: 'row' }, node.name, element('div', { class: 'muted' }, node.url)),
      element(
        'td',
        { 'data-field': 'health', class: 'health' },
        healthy ? 'up' : 'down',
        typeof node['busy_until'] === 'string' ? element('div', { class: 'muted' }, `busy until ${formatClock(node['busy_until'])}`) : null,
        node.last_error === null ? null : element('div', { class: 'muted' }, node.last_error),
      ),
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
