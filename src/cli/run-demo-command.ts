import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../main.ts';
import { createDefaultModels } from '../sim/default-models.ts';
import { REGISTRY_MODELS } from '../sim/registry-models.ts';
import { startSimulator } from '../sim/simulator.ts';
import { describeStartupError } from './describe-startup-error.ts';
import { formatDemoInstructions } from './format-demo-instructions.ts';
import { answerUnlessParsed, parseCommandArgs, type CommandIo } from './parse-command-args.ts';

export const demoUsage = `Usage: llm-sidecar demo

Starts the bundled Ollama simulator and the gateway in front of it, so every route can be tried
without Ollama: chat, streaming, embeddings, pulls (progress paced to be watched), keys, the docs page.
Answers are simulated. The gateway listens on $PORT (default 4000); set API_KEYS to try keys.
  -h, --help  this text
`;

/** Slow enough to watch a few hundred megabytes arrive, fast enough to be done in seconds. */
const PULL_BYTES_PER_SECOND = 100_000_000;

/**
 * `llm-sidecar demo`: the simulator and the gateway together, so a newcomer can try every route
 * without Ollama. Says plainly that the answers are simulated.
 */
export async function runDemoCommand(args: string[], io: CommandIo): Promise<number> {
  const answered = answerUnlessParsed(parseCommandArgs(args, {}), demoUsage, io);
  if (answered !== undefined) return answered;
  const simulator = await startSimulator({ port: 0, timeToFirstTokenMs: 150, tokensPerSecond: 25, tokensPerAnswer: 40, pullBytesPerSecond: PULL_BYTES_PER_SECOND });
  const pullable = REGISTRY_MODELS.map((model) => model.name);
  // The demo's own settings; the environment (PORT, HOST, API_KEYS, ...) still overrides them.
  // Resource-aware admission is off: simulated answers cost the machine nothing, and a busy laptop
  // (a load average above 4 per CPU) would otherwise hold every demo request in its queue.
  const folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-demo-'));
  const configFile = join(folder, 'demo.json');
  const demoConfig = { aliases: { 'gpt-4o-mini': 'llama3.2' }, pullAllowed: pullable, allowStoreRoutes: true, resources: { enabled: false } };
  writeFileSync(configFile, JSON.stringify(demoConfig));
  let running;
  try {
    running = await serve({ configFile, env: { ...process.env, OLLAMA_URL: simulator.url }, handleSignals: false });
  } catch (error) {
    await simulator.close();
    const line = describeStartupError(error);
    if (line === undefined) throw error;
    io.stderr.write(`llm-sidecar: ${line}\n`);
    return 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const config = running.gateway.services.getConfig();
  const models = createDefaultModels().map((model) => model.name.replace(/:latest$/, ''));
  // A key given as an entry with a name carries the secret in `key` (a hashed entry has none to show).
  const firstKey = config.apiKeys[0];
  const apiKey = typeof firstKey === 'string' ? firstKey : firstKey?.key;
  io.stdout.write(formatDemoInstructions({ url: running.url, simulatorUrl: simulator.url, models, pullable, apiKey }));
  const stop = (): void =>
    void running
      .shutdown()
      .then(() => simulator.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
