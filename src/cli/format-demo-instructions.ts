/** What the demo is running, for the instructions it prints. */
export interface DemoSetup {
  url: string;
  simulatorUrl: string;
  models: string[];
  pullable: string[];
  /** The first configured API key, shown in the examples so they work as printed. */
  apiKey: string | undefined;
}

/**
 * The curl lines the demo prints, each one a request that works as printed against the demo: they
 * carry the key when keys are set. Exported so a test can run exactly these lines.
 */
export function demoCurlLines(setup: DemoSetup): string[] {
  const key = setup.apiKey === undefined ? '' : ` -H 'Authorization: Bearer ${setup.apiKey}'`;
  const pull = setup.pullable[0] ?? 'qwen3:0.6b';
  return [
    `curl${key} ${setup.url}/v1/models`,
    `curl${key} ${setup.url}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"llama3.2","messages":[{"role":"user","content":"Hello!"}]}'`,
    `curl -N${key} ${setup.url}/v1/chat/completions -d '{"model":"llama3.2","stream":true,"messages":[{"role":"user","content":"Count to five"}]}'`,
    `curl -N${key} -X POST ${setup.url}/v1/llm/${pull}/pull -H 'Accept: application/x-ndjson'`,
    `curl${key} ${setup.url}/v1/chat/completions -d '{"model":"${pull}","messages":[{"role":"user","content":"Hi, new model!"}]}'`,
    `curl${key} ${setup.url}/api/chat -d '{"model":"gpt-4o-mini","stream":false,"messages":[{"role":"user","content":"hi"}]}'`,
  ];
}

/** The demo's banner: what runs where, that answers are simulated, and lines to paste. */
export function formatDemoInstructions(setup: DemoSetup): string {
  const keyed =
    setup.apiKey === undefined
      ? ['  No API keys are set, so every request is accepted. Try the demo with a key:', '    API_KEYS=demo-key npm run demo']
      : [
          '  API keys are on: the examples carry the first key. Without one the gateway answers 401:',
          `    curl -i ${setup.url}/v1/models`,
        ];
  return [
    '',
    '  llm-sidecar demo — answers come from the bundled Ollama SIMULATOR, not from a real model.',
    '',
    `  gateway    ${setup.url}   (OpenAI base URL: ${setup.url}/v1)`,
    `  docs       ${setup.url}/docs   (Swagger UI: every route, with "Try it out")`,
    `  simulator  ${setup.simulatorUrl}   (models: ${setup.models.join(', ')}; alias gpt-4o-mini → llama3.2)`,
    `  pullable   ${setup.pullable.join(', ')}`,
    '',
    '  try:',
    ...demoCurlLines(setup).map((line) => `    ${line}`),
    `    npx llm-sidecar pull ${setup.pullable[1] ?? 'tinyllama'} --url ${setup.url}${setup.apiKey === undefined ? '' : ` --api-key ${setup.apiKey}`}`,
    '',
    ...keyed,
    '',
    '  Ctrl-C to stop.',
    '',
  ].join('\n');
}
