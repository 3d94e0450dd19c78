import { splitNdjsonLines } from '../ollama/read-ndjson-lines.ts';
import { formatPullProgress, type PullProgressLine } from './format-pull-progress.ts';
import { answerUnlessParsed, parseCommandArgs } from './parse-command-args.ts';

const USAGE = `Usage: llm-sidecar pull MODEL [--url URL] [--api-key KEY]

Pulls MODEL through a running gateway (POST /v1/llm/MODEL/pull), showing progress.
  --url       the gateway's base URL (default: $LLM_SIDECAR_URL or http://127.0.0.1:4000)
  --api-key   sent as a bearer token (default: $LLM_SIDECAR_API_KEY)
Exit code: 0 when the model is pulled, 1 when the pull failed, 2 for bad arguments.
`;

export interface PullIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

interface PullLine extends PullProgressLine {
  digest?: string;
  error?: { message?: string; code?: string | null };
}

/** `llm-sidecar pull MODEL`: relays the gateway's pull progress to the terminal. */
export async function runPullCommand(args: string[], io: PullIo): Promise<number> {
  const env = io.env ?? process.env;
  const parsed = parseCommandArgs(args, { url: { type: 'string' }, 'api-key': { type: 'string' } }, 1);
  const answered = answerUnlessParsed(parsed, USAGE, io);
  if (answered !== undefined || parsed.kind !== 'parsed') return answered ?? 2;
  const model = parsed.positionals[0];
  if (model === undefined) {
    io.stderr.write(`Which model? Name one.\n\n${USAGE}`);
    return 2;
  }
  const base = (parsed.values.url ?? env['LLM_SIDECAR_URL'] ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const apiKey = parsed.values['api-key'] ?? env['LLM_SIDECAR_API_KEY'];
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/x-ndjson' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;

  let response: Response;
  try {
    response = await fetch(`${base}/v1/llm/${model.split('/').map(encodeURIComponent).join('/')}/pull`, { method: 'POST', headers, body: JSON.stringify({ stream: true }) });
  } catch (error) {
    io.stderr.write(`Cannot reach the gateway at ${base}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}\n`);
    return 1;
  }
  if (!response.ok || response.body === null) {
    const body = (await response.json().catch(() => ({}))) as PullLine;
    io.stderr.write(`Pull of ${model} refused (${response.status}): ${body.error?.message ?? response.statusText}\n`);
    return 1;
  }
  const tty = io.stdout.isTTY === true;
  let lastShown = '';
  for await (const text of splitNdjsonLines(response.body)) {
    const line = JSON.parse(text) as PullLine;
    if (line.error) {
      if (tty) io.stdout.write('\n');
      io.stderr.write(`Pull of ${model} failed: ${line.error.message ?? 'unknown error'}\n`);
      return 1;
    }
    const shown = formatPullProgress(line);
    if (shown === lastShown) continue;
    lastShown = shown;
    io.stdout.write(tty ? `\r\u001b[2K${shown}` : `${shown}\n`);
  }
  if (tty) io.stdout.write('\n');
  return 0;
}
