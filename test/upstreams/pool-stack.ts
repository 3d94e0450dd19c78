import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { pino } from 'pino';
import { createApp, type GatewayApp } from '../../src/app.ts';
import type { ConfigInput } from '../../src/config/config-schema.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/simulator.ts';

export interface PoolNodeSpec {
  name: string;
  sim?: SimulatorOptions;
  /** Extra fields of the node's `upstreams` entry. */
  upstream?: Record<string, unknown>;
}

export interface PoolStack {
  url: string;
  gateway: GatewayApp;
  sims: Map<string, Simulator>;
  openai: OpenAI;
  /** Restarts a closed simulator on its old port (a node coming back). */
  restart(name: string): Promise<Simulator>;
  close(): Promise<void>;
}

/** Several simulators (one per node) and a gateway in front of them, all on OS-chosen ports. */
export async function startPoolStack(nodes: PoolNodeSpec[], config: Omit<ConfigInput, 'upstreams'> = {}): Promise<PoolStack> {
  const sims = new Map<string, Simulator>();
  const options = new Map<string, SimulatorOptions>();
  for (const node of nodes) {
    options.set(node.name, node.sim ?? {});
    sims.set(node.name, await startSimulator(node.sim));
  }
  const upstreams = nodes.map((node) => ({ name: node.name, url: sims.get(node.name)!.url, ...node.upstream }));
  const built = buildConfig({ logLevel: 'silent', resources: { enabled: false }, ...config, upstreams });
  const gateway = createApp({ config: built, logger: pino({ level: process.env['POOL_LOG'] ?? 'silent' }), healthIntervalMs: 60_000 });
  await gateway.health.start();
  const server: Server = createServer(gateway.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    gateway,
    sims,
    openai: new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-test', maxRetries: 0 }),
    async restart(name) {
      const port = Number(new URL(sims.get(name)!.url).port);
      const sim = await startSimulator({ ...options.get(name), port });
      sims.set(name, sim);
      return sim;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      for (const sim of sims.values()) await sim.close();
    },
  };
}

/** A chat request through the gateway, answered whole. */
export function chat(stack: PoolStack, model: string, content = 'hello', headers: Record<string, string> = {}): Promise<OpenAI.ChatCompletion> {
  return stack.openai.chat.completions.create({ model, messages: [{ role: 'user', content }] }, { headers });
}
