import { hexFromText } from './deterministic-random.ts';
import { normalizeModelName } from './model-names.ts';
import { findRegistryModel } from './registry-models.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { delay, sendError, sendJson, startNdjson, writeChunk } from './write-response.ts';

interface Layer {
  digest: string;
  total: number;
}

const tickMs = 60;
const unknownManifestText = 'pull model manifest: file does not exist';

/**
 * `POST /api/pull`: Ollama's progress stream (pulling manifest → per layer `pulling <12 hex>` with
 * digest/total/completed → verifying sha256 digest → writing manifest → success). Names containing
 * "missing" or "nonexistent" do not exist in the simulated registry.
 */
export async function handlePull(context: SimContext, exchange: Exchange, body: unknown): Promise<void> {
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const rawName = typeof request['model'] === 'string' && request['model'] !== '' ? request['model'] : request['name'];
  if (typeof rawName !== 'string' || !/^[\w./:-]+$/.test(rawName)) return sendError(exchange.response, 400, 'invalid model name');
  const name = normalizeModelName(rawName);
  const stream = request['stream'] !== false;
  if (/missing|nonexistent/.test(name)) {
    if (!stream) return sendError(exchange.response, 500, unknownManifestText);
    startNdjson(exchange.response);
    exchange.response.end(`{"status":"pulling manifest"}\n{"error":"${unknownManifestText}"}\n`);
    return;
  }
  const installed = context.catalog.find(name);
  const published = findRegistryModel(name);
  const layers = describeLayers(name, installed?.sizeBytes ?? published?.sizeBytes ?? 2_000_000_000);
  const emit = stream ? (line: Record<string, unknown>) => writeProgress(exchange, line) : () => Promise.resolve(!exchange.signal.aborted);
  if (stream) startNdjson(exchange.response);
  if (!(await emit({ status: 'pulling manifest' }))) return;
  for (const layer of layers) {
    const completed = await downloadLayer(context, exchange, layer, installed !== undefined, emit);
    if (!completed) return;
  }
  for (const status of ['verifying sha256 digest', 'writing manifest']) {
    if (!(await emit({ status }))) return;
  }
  if (installed === undefined) context.catalog.add(published ?? { name, capabilities: name.includes('embed') ? ['embedding'] : ['completion'] }, new Date().toISOString());
  if (stream) exchange.response.end('{"status":"success"}\n');
  else sendJson(exchange.response, 200, { status: 'success' });
}

function describeLayers(name: string, modelBytes: number): Layer[] {
  return [
    { digest: `sha256:${hexFromText(`${name}#model`, 64)}`, total: modelBytes },
    { digest: `sha256:${hexFromText(`${name}#template`, 64)}`, total: 1_429 },
    { digest: `sha256:${hexFromText(`${name}#params`, 64)}`, total: 96 },
  ];
}

/** Progress for one layer: cached layers report completed = total at once; others tick every 60 ms when paced. */
async function downloadLayer(
  context: SimContext,
  exchange: Exchange,
  layer: Layer,
  isCached: boolean,
  emit: (line: Record<string, unknown>) => Promise<boolean>,
): Promise<boolean> {
  const status = `pulling ${layer.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
  if (isCached) return emit({ status, digest: layer.digest, total: layer.total, completed: layer.total });
  if (!(await emit({ status, digest: layer.digest, total: layer.total }))) return false;
  let completed = 0;
  while (completed < layer.total) {
    const bytesPerSecond = context.options.pullBytesPerSecond;
    if (bytesPerSecond > 0) {
      if (!(await delay(tickMs, exchange.signal))) return false;
      completed = Math.min(layer.total, completed + Math.max(1, Math.round((bytesPerSecond * tickMs) / 1000)));
    } else {
      completed = Math.min(layer.total, completed + Math.ceil(layer.total / 4));
    }
    if (!(await emit({ status, digest: layer.digest, total: layer.total, completed }))) return false;
  }
  return true;
}

function writeProgress(exchange: Exchange, line: Record<string, unknown>): Promise<boolean> {
  if (exchange.signal.aborted) return Promise.resolve(false);
  return writeChunk(exchange.response, `${JSON.stringify(line)}\n`);
}
