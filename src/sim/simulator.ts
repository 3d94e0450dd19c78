import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDefaultModels } from './default-models.ts';
import { createTimestamper } from './create-timestamper.ts';
import { createFaultQueue } from './fault-queue.ts';
import { createModelCatalog } from './model-catalog.ts';
import { createModelSlots } from './model-slots.ts';
import { createRequestGate } from './request-gate.ts';
import { routeOpenAiRequest } from './openai/route-openai-request.ts';
import { routeRequest } from './route-request.ts';
import type { LiveOptions, SimContext } from './sim-context.ts';
import { createStats } from './sim-stats.ts';
import type { Simulator, SimulatorOptions } from './sim-types.ts';
import { sendError } from './write-response.ts';

export type { SimFault, SimGate, SimModel, SimStats, Simulator, SimulatorOptions } from './sim-types.ts';

const defaultKnobs: LiveOptions = {
  timeToFirstTokenMs: 0,
  tokensPerSecond: 0,
  tokensPerAnswer: 12,
  parallelPerModel: 0,
  pullBytesPerSecond: 0,
};

/**
 * Starts a simulated Ollama on `host:port` (127.0.0.1, a free port by default) and resolves once it
 * listens. It speaks Ollama's native API (docs/ollama-api-notes.md; <https://github.com/ollama/ollama/blob/main/docs/api.md>) with deterministic answers, and has knobs for
 * latency, pacing, parallelism and faults for tests, the demo and benchmarks. With `dialect: 'openai'`
 * it is an OpenAI-compatible server instead (`/v1/models`, chat, completions, embeddings) with the same knobs.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const liveOptions: LiveOptions = { ...defaultKnobs };
  assignKnobs(liveOptions, options);
  const stats = createStats();
  const catalog = createModelCatalog(options.models ?? createDefaultModels());
  const context: SimContext = {
    options: liveOptions,
    catalog,
    stats,
    gate: createRequestGate(),
    slots: createModelSlots(() => liveOptions.parallelPerModel, stats.observeRunning),
    faults: createFaultQueue(),
    timestamp: createTimestamper(),
  };
  const route = options.dialect === 'openai' ? routeOpenAiRequest : routeRequest;
  const server = createServer((request, response) => {
    route(context, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, error instanceof Error ? error.message : String(error));
      else response.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await listen(server, host, options.port ?? 0);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => closeServer(server),
    setOptions(partial) {
      assignKnobs(liveOptions, partial);
      context.slots.refresh();
    },
    gate: context.gate,
    injectFault: (fault) => context.faults.inject(fault),
    clearFaults: () => context.faults.clear(),
    stats,
    addModel: (model) => void catalog.add(model),
    removeModel: (name) => void catalog.remove(name),
  };
}

function assignKnobs(target: LiveOptions, source: Partial<SimulatorOptions>): void {
  for (const key of Object.keys(defaultKnobs) as Array<keyof LiveOptions>) {
    const value = source[key];
    if (value !== undefined) target[key] = value;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Parked, stalled and keep-alive connections would otherwise hold close() open.
    server.closeAllConnections();
  });
}
