import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { formatDuration } from './format-values.ts';
import { renderErrors, renderPulls } from './render-activity.ts';
import { renderKeys } from './render-keys.ts';
import { renderModels } from './render-models.ts';
import { renderNodes } from './render-nodes.ts';
import { renderResources } from './render-resources.ts';
import { readStatusStream, type StreamState } from '../../status/read-status-stream.ts';

/** The key lives in this tab's session storage only: gone when the tab closes, never in a cookie or URL. */
const KEY_STORAGE = 'llm-sidecar-status-key';

function required<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The status page has no #${id}.`);
  return found as T;
}

const connection = required<HTMLElement>('connection');
const summary = required<HTMLElement>('summary');
const keyForm = required<HTMLFormElement>('key-form');
const keyInput = required<HTMLInputElement>('key-input');
const keyMessage = required<HTMLElement>('key-message');
const forgetKey = required<HTMLButtonElement>('forget-key');
const keysSection = required<HTMLElement>('keys-section');
const sections = {
  nodes: required<HTMLElement>('nodes'),
  models: required<HTMLElement>('models'),
  keys: required<HTMLElement>('keys'),
  pulls: required<HTMLElement>('pulls'),
  errors: required<HTMLElement>('errors'),
  resources: required<HTMLElement>('resources'),
};

const STATE_TEXT: Record<StreamState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', 'needs-key': 'An API key is needed' };

function showState(state: StreamState, detail?: string): void {
  connection.dataset['state'] = state;
  connection.textContent = detail ? `${STATE_TEXT[state]} — ${detail}` : STATE_TEXT[state];
  keyForm.hidden = state !== 'needs-key';
  keyMessage.textContent = state === 'needs-key' ? (detail ?? '') : '';
  forgetKey.hidden = sessionStorage.getItem(KEY_STORAGE) === null;
  if (state === 'needs-key') keyInput.focus();
}

function render(event: StatusStreamEvent): void {
  const status = event.status;
  summary.textContent = `llm-sidecar ${status.version} · up ${formatDuration(status.uptime_s)} · ${status.in_flight} in flight · ${status.queued} queued${status.draining ? ' · draining' : ''}`;
  sections.nodes.replaceChildren(renderNodes(event));
  sections.models.replaceChildren(renderModels(event));
  const keys = renderKeys(event);
  keysSection.hidden = keys === null;
  sections.keys.replaceChildren(...(keys === null ? [] : [keys]));
  sections.pulls.replaceChildren(renderPulls(event));
  sections.errors.replaceChildren(renderErrors(event));
  sections.resources.replaceChildren(renderResources(event));
}

const stream = readStatusStream({ url: '/v1/status/stream', key: () => sessionStorage.getItem(KEY_STORAGE), onEvent: render, onState: showState });

keyForm.addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  const key = keyInput.value.trim();
  if (key === '') return;
  sessionStorage.setItem(KEY_STORAGE, key);
  keyInput.value = '';
  stream.reconnect();
});
forgetKey.addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  stream.reconnect();
});
