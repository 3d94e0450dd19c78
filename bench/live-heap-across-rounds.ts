/**
 * Whether the gateway keeps anything across rounds of load: RSS after each round (what the bench's
 * "no growth" row reads) includes garbage V8 has not collected yet, so this runs the compiled gateway
 * with the inspector on loopback, puts it through rounds of streaming and plain requests, and after
 * each round forces a full collection over the DevTools protocol and reads the heap that is still live.
 *
 *   npm run build && node bench/live-heap-across-rounds.ts [rounds]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayRuntimeFlags } from '../src/cli/runtime-flags.ts';
import { findFreePort, startGateway } from './gateway-process.ts';
import { startSimulatorProcess } from './start-simulator-process.ts';

const entry = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const rounds = Number(process.argv[2] ?? 6);

/** One DevTools protocol session over the inspector's WebSocket. */
async function openInspector(port: number): Promise<{ call(method: string, params?: object): Promise<{ result?: { result?: { value?: string } } }>; close(): void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  const waiting = new Map<number, (message: never) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number };
    if (message.id !== undefined) waiting.get(message.id)?.(message as never);
  });
  let lastId = 0;
  return {
    call: (method, params = {}) =>
      new Promise((resolve) => {
        lastId += 1;
        waiting.set(lastId, resolve);
        socket.send(JSON.stringify({ id: lastId, method, params }));
      }),
    close: () => socket.close(),
  };
}

const load = (url: string, extra: string[]): void => {
  execFileSync(process.execPath, [entry, 'bench', '--url', `${url}/v1`, '--model', 'llama3.2', ...extra], { stdio: 'ignore' });
};

const simulator = await startSimulatorProcess();
const inspectorPort = await findFreePort();
const gateway = await startGateway({
  entry,
  workDirectory: mkdtempSync(join(tmpdir(), 'llm-sidecar-heap-')),
  upstreamUrl: simulator.url,
  nodeArguments: [...gatewayRuntimeFlags, `--inspect=127.0.0.1:${inspectorPort}`],
});
const inspector = await openInspector(inspectorPort);
try {
  for (let round = 1; round <= rounds; round += 1) {
    load(gateway.url, ['--concurrency', '128', '--duration', '4s', '--stream']);
    load(gateway.url, ['--concurrency', '16', '--duration', '3s']);
    await inspector.call('HeapProfiler.collectGarbage');
    const answer = await inspector.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())' });
    const memory = JSON.parse(answer.result?.result?.value ?? '{}') as NodeJS.MemoryUsage;
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
    console.log(`round ${round}: live heap after a full GC ${mib(memory.heapUsed)} MiB, external ${mib(memory.external)} MiB, RSS ${mib(memory.rss)} MiB`);
  }
} finally {
  inspector.close();
  await gateway.stop();
  await simulator.stop();
}
