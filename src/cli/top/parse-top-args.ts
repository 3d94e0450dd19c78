import { parseArgs } from 'node:util';

export const TOP_USAGE = `llm-sidecar top [--url URL] [--key KEY] [--once]

A live full-screen view of a running gateway (GET /v1/status/stream): models with active / queued /
limit, tokens/s and time to first token; nodes; keys. q or Ctrl-C quits.
  --url    the gateway's base URL (default: $LLM_SIDECAR_URL or http://127.0.0.1:4000)
  --key    an API key, sent as a bearer token (default: $LLM_SIDECAR_API_KEY)
  --once   print one snapshot as plain tables and exit (for scripts)
Exit code: 0 after q, Ctrl-C or --once; 1 when the gateway cannot be read; 2 for bad arguments.
`;

export interface TopOptions {
  url: string;
  key: string | undefined;
  once: boolean;
}

/** The options, `help` when asked for, or the problem with the arguments. */
export function parseTopArgs(args: string[], env: NodeJS.ProcessEnv): TopOptions | 'help' | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { url: { type: 'string' }, key: { type: 'string' }, once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (parsed.values.help) return 'help';
  const url = (parsed.values.url ?? env['LLM_SIDECAR_URL'] ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  if (!URL.canParse(url)) return { error: `--url is not a URL: ${url}` };
  const key = parsed.values.key ?? env['LLM_SIDECAR_API_KEY'];
  return { url, key: key === '' ? undefined : key, once: parsed.values.once === true };
}
