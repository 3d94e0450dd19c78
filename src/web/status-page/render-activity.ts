import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { element, table } from './create-element.ts';
import { formatClock, formatDuration } from './format-values.ts';

/** Pulls under way, each with a progress bar (indeterminate until Ollama reports sizes). */
export function renderPulls(event: StatusStreamEvent): HTMLElement {
  const pulls = event.status.models.flatMap((model) => (model.pulling === null ? [] : [{ name: model.name, ...model.pulling }]));
  const rows = pulls.map((pull) => {
    const label = `Pull of ${pull.name}`;
    const bar = pull.percent === null ? element('progress', { 'aria-label': label }) : element('progress', { max: 100, value: pull.percent, 'aria-label': label });
    return element(
      'tr',
      { 'data-pull': pull.name },
      element('th', { scope: 'row' }, pull.name),
      element('td', {}, bar, ' ', pull.percent === null ? '' : `${Math.round(pull.percent)} %`),
      element('td', {}, pull.status),
      element('td', { class: 'number' }, String(pull.waiting)),
      element('td', {}, formatDuration((Date.now() - Date.parse(pull.started_at)) / 1000)),
    );
  });
  return table('Pulls', ['Model', 'Progress', 'Step', 'Requests waiting', 'Running for'], rows, 'No pull under way.');
}

/** Problems reading Ollama's lists now, then the latest errors the gateway answered with. */
export function renderErrors(event: StatusStreamEvent): HTMLElement {
  const current = event.status.errors.map((message) => element('tr', { class: 'current' }, element('td', {}, 'now'), element('td', {}, '–'), element('td', {}, '–'), element('td', {}, message)));
  const recent = event.recent_errors.map((error) =>
    element(
      'tr',
      {},
      element('td', {}, formatClock(error.at)),
      element('td', { class: 'number' }, String(error.status)),
      element('td', {}, error.model ?? error.route),
      element('td', {}, error.code === null ? error.message : `${error.code}: ${error.message}`),
    ),
  );
  return table('Recent errors', ['When', 'Status', 'Model or route', 'Error'], [...current, ...recent], 'No errors.');
}
