import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { pino } from 'pino';
import { createApp, type AppDependencies, type GatewayApp } from '../../src/app.ts';
import type { ConfigInput } from '../../src/config/config-schema.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { createGatewayServer } from '../../src/http/create-gateway-server.ts';
import { loadOpenApiDocument } from '../../src/http/routes/docs.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/simulator.ts';
import { watchResponsesAgainstSpec } from '../docs/spec-checker.ts';

export interface TestStack {
  /** Base URL of the gateway, e.g. http://127.0.0.1:PORT */
  url: string;
  gateway: GatewayApp;
  server: Server;
  /** The simulator, unless the stack runs against a real Ollama (`TEST_OLLAMA_URL`). */
  sim: Simulator | undefined;
  upstreamUrl: string;
  /** An `openai` SDK client pointed at the gateway, retries off so errors surface as they are. */
  openai: OpenAI;
  /** Log lines the gateway wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface StackOptions {
  config?: Omit<ConfigInput, 'upstreams'>;
  sim?: SimulatorOptions;
  /** Use the simulator even when TEST_OLLAMA_URL is set (tests that need its knobs). */
  requireSimulator?: boolean;
  apiKey?: string;
  /** Put the gateway in front of this upstream instead (a scripted loopback server), no simulator. */
  upstreamUrl?: string;
  /** More dependencies for `createApp` (a clock, a usage store...). */
  app?: Omit<AppDependencies, 'config' | 'logger'>;
}

/** A real Ollama for the end-to-end client suite, when the developer points the tests at one. */
export const realOllamaUrl = process.env['TEST_OLLAMA_URL'];

/** Starts the simulator (or uses TEST_OLLAMA_URL) and a gateway in front of it, both on OS-chosen ports. */
export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const useReal = realOllamaUrl !== undefined && !options.requireSimulator;
  const sim = useReal || options.upstreamUrl !== undefined ? undefined : await startSimulator({ ...options.sim });
  const upstreamUrl = options.upstreamUrl ?? (useReal && realOllamaUrl !== undefined ? realOllamaUrl : sim!.url);
  // The machine's own readings would make admission depend on how busy the test machine is.
  const config = buildConfig({ logLevel: 'info', resources: { enabled: false }, ...options.config, upstreams: [{ name: 'local', url: upstreamUrl }] });
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const logger = pino({ level: config.logLevel }, destination);
  const gateway = createApp({ config, logger, healthIntervalMs: 60_000, ...options.app });
  await gateway.health.start();
  const server = createGatewayServer(gateway.app);
  // Every response of every end-to-end test is checked against openapi.yaml.
  const spec = watchResponsesAgainstSpec(server, loadOpenApiDocument());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: options.apiKey ?? 'sk-test', maxRetries: 0 });
  return {
    url,
    gateway,
    server,
    sim,
    upstreamUrl,
    openai,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await sim?.close();
      assert.deepEqual(spec.problems(), [], 'responses that do not match openapi.yaml');
    },
  };
}

/** A chat model the stack's upstream has: the simulator's default, or `TEST_OLLAMA_CHAT_MODEL`. */
export const chatModel = process.env['TEST_OLLAMA_CHAT_MODEL'] ?? 'llama3.2';
export const embedModel = process.env['TEST_OLLAMA_EMBED_MODEL'] ?? 'nomic-embed-text';
export const visionModel = process.env['TEST_OLLAMA_VISION_MODEL'] ?? 'llava';
export const thinkingModel = process.env['TEST_OLLAMA_THINKING_MODEL'] ?? 'qwen3';
