import { ollamaPsResponseSchema, ollamaTagsResponseSchema } from '../ollama/wire.ts';
import type { UpstreamNode } from './upstream-node.ts';

/** What one probe learnt: a round trip, the version Ollama reports. */
export interface ProbeResult {
  roundTripMs: number;
  version?: string;
}

/** The cheap liveness call of each kind: Ollama `GET /api/version`, OpenAI-compatible `GET /v1/models`. */
export async function probeNode(node: UpstreamNode, signal: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  const roundTrip = (): number => Math.round((performance.now() - started) * 100) / 100;
  if (node.kind === 'openai') {
    const ids = await node.client.listModels(signal);
    if (!node.fixedModels) node.inventory.updateAvailable(ids.map((id) => ({ name: id, model: id })));
    return { roundTripMs: roundTrip() };
  }
  const body = (await node.client.getJson('/api/version', { signal })) as { version?: unknown };
  return { roundTripMs: roundTrip(), ...(typeof body.version === 'string' ? { version: body.version } : {}) };
}

/**
 * Refreshes what a node has (`/api/tags`; OpenAI kind: `/v1/models`) and, with `loaded`, what an
 * Ollama node has loaded (`/api/ps`; a failed read keeps the last one). Rejects when the list cannot be read.
 */
export async function refreshInventory(node: UpstreamNode, signal: AbortSignal, options: { loaded: boolean }): Promise<void> {
  if (node.kind === 'openai') {
    if (!node.fixedModels) node.inventory.updateAvailable((await node.client.listModels(signal)).map((id) => ({ name: id, model: id })));
    return;
  }
  const running = options.loaded ? node.client.getJson('/api/ps', { signal }).catch(() => undefined) : undefined;
  node.inventory.updateAvailable(ollamaTagsResponseSchema.parse(await node.client.getJson('/api/tags', { signal })).models ?? []);
  const body = await running;
  if (body !== undefined) node.inventory.updateLoaded((ollamaPsResponseSchema.parse(body).models ?? []).map((model) => model.name));
}
