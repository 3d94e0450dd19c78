import type { UsageResponse } from '../usage/usage-response.ts';
import { formatUsageTable } from './format-usage-table.ts';
import { answerUnlessParsed, parseCommandArgs } from './parse-command-args.ts';

const USAGE = `Usage: llm-sidecar usage [--url URL] [--api-key KEY] [--from DAY] [--to DAY] [--key NAME] [--model M] [--group-by day,key,model] [--json]

Prints requests and tokens per key, model and UTC day from a running gateway (GET /v1/usage).
  --url       the gateway's base URL (default: $LLM_SIDECAR_URL or http://127.0.0.1:4000)
  --api-key   sent as a bearer token (default: $LLM_SIDECAR_API_KEY); other keys' usage needs admin scope
  --from/--to UTC days, YYYY-MM-DD (default: this month up to today)
  --group-by  default: day
Exit code: 0, 1 when the gateway refused or cannot be reached, 2 for bad arguments.
`;

export interface UsageIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

const QUERY_OPTIONS = ['from', 'to', 'key', 'model', 'group-by'] as const;

/** `llm-sidecar usage`: the gateway's usage counters as a table (or the JSON with `--json`). */
export async function runUsageCommand(args: string[], io: UsageIo): Promise<number> {
  const env = io.env ?? process.env;
  const strings = Object.fromEntries([...QUERY_OPTIONS, 'url', 'api-key'].map((name) => [name, { type: 'string' as const }]));
  const parsed = parseCommandArgs(args, { ...strings, json: { type: 'boolean' as const } });
  const answered = answerUnlessParsed(parsed, USAGE, io);
  if (answered !== undefined || parsed.kind !== 'parsed') return answered ?? 2;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const base = String(values['url'] ?? env['LLM_SIDECAR_URL'] ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const query = new URLSearchParams();
  for (const name of QUERY_OPTIONS) if (typeof values[name] === 'string') query.set(name.replace('-', '_'), values[name]);
  const apiKey = values['api-key'] ?? env['LLM_SIDECAR_API_KEY'];
  let response: Response;
  try {
    response = await fetch(`${base}/v1/usage?${query.toString()}`, { headers: typeof apiKey === 'string' && apiKey !== '' ? { authorization: `Bearer ${apiKey}` } : {} });
  } catch (error) {
    io.stderr.write(`Cannot reach the gateway at ${base}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}\n`);
    return 1;
  }
  const body = (await response.json().catch(() => ({}))) as UsageResponse & { error?: { message?: string } };
  if (!response.ok) {
    io.stderr.write(`The gateway answered ${response.status}: ${body.error?.message ?? 'no reason given'}\n`);
    return 1;
  }
  io.stdout.write(values['json'] === true ? `${JSON.stringify(body, null, 2)}\n` : `${body.from} … ${body.to}\n${formatUsageTable(body.data, body.group_by)}`);
  return 0;
}
