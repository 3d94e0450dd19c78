import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { element, table } from './create-element.ts';
import { formatCell } from './format-values.ts';

type KeyEntry = Record<string, unknown>;

/** The columns shown first when a key reports them; any other field follows. */
const KNOWN_COLUMNS: Array<[field: string, heading: string]> = [
  ['name', 'Key'],
  ['requests', 'Requests'],
  ['tokens_today', 'Tokens today'],
  ['limited', 'Limited'],
];

/** Per-key usage, when the status has a `keys` list (API keys with names); null when it has none. */
export function renderKeys(event: StatusStreamEvent): HTMLElement | null {
  const keys = (event.status as Record<string, unknown>)['keys'];
  if (!Array.isArray(keys)) return null;
  const entries = keys as KeyEntry[];
  const extra = [...new Set(entries.flatMap((entry) => Object.keys(entry)))].filter((field) => !KNOWN_COLUMNS.some(([known]) => known === field));
  const columns: Array<[string, string]> = [...KNOWN_COLUMNS.filter(([field]) => entries.some((entry) => field in entry)), ...extra.map((field): [string, string] => [field, field.replaceAll('_', ' ')])];
  const rows = entries.map((entry) =>
    element(
      'tr',
      { 'data-key': formatCell(entry['name']), 'data-limited': entry['limited'] === true ? 'yes' : undefined },
      ...columns.map(([field], index) => (index === 0 ? element('th', { scope: 'row' }, formatCell(entry[field])) : element('td', {}, formatCell(entry[field])))),
    ),
  );
  return table('Keys', columns.map(([, heading]) => heading), rows, 'No key has been used yet.');
}
