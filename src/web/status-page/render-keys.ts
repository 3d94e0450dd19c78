import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { describeKeyRows } from '../../status/describe-key-rows.ts';
import { element, table } from './create-element.ts';
import { formatCell, formatRate } from './format-values.ts';

/** Per-key usage when the gateway has named API keys; null when it has none. */
export function renderKeys(event: StatusStreamEvent): HTMLElement | null {
  const keys = describeKeyRows(event);
  if (keys.length === 0) return null;
  const rows = keys.map((key) =>
    element(
      'tr',
      { 'data-key': key.name, 'data-limited': key.limited ? 'yes' : undefined },
      element('th', { scope: 'row' }, key.name),
      element('td', { class: 'number' }, formatCell(key.requests)),
      element('td', { class: 'number' }, formatRate(key.requests_per_s)),
      element('td', { class: 'number' }, key.daily_tokens === null ? formatCell(key.tokens_today) : `${formatCell(key.tokens_today)} / ${key.daily_tokens}`),
      element('td', { class: 'number' }, formatCell(key.tokens_month)),
      element('td', { 'data-field': 'limited' }, key.limited ? 'limited' : 'no'),
    ),
  );
  return table('Keys (requests since the gateway started)', ['Key', 'Requests', 'Req/s', 'Tokens today', 'Tokens this month', 'Limited'], rows, 'No key.');
}
