import { serve } from '../main.ts';
import { startSimulator } from '../sim/simulator.ts';

/**
 * `llm-sidecar demo`: the simulator and the gateway together, so a newcomer can try every route
 * without Ollama. Says plainly that the answers are simulated.
 */
export async function runDemoCommand(): Promise<number> {
  const simulator = await startSimulator({ port: 0, timeToFirstTokenMs: 150, tokensPerSecond: 25, tokensPerAnswer: 40 });
  const running = await serve({ env: { ...process.env, OLLAMA_URL: simulator.url }, handleSignals: false });
  const url = running.url;
  process.stdout.write(`
  llm-sidecar demo — answers come from the bundled Ollama SIMULATOR, not from a real model.

  gateway    ${url}   (OpenAI base URL: ${url}/v1)
  simulator  ${simulator.url}   (models: llama3.2, qwen3, llava, gemma3, nomic-embed-text)

  try:
    curl ${url}/v1/models
    curl -N ${url}/v1/chat/completions -d '{"model":"llama3.2","stream":true,"messages":[{"role":"user","content":"Hello!"}]}'

  Ctrl-C to stop.
`);
  const stop = (): void =>
    void running
      .shutdown()
      .then(() => simulator.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
