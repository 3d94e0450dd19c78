import { existsSync } from 'node:fs';
import { serve } from '../main.ts';
import { describeStartupError } from './describe-startup-error.ts';
import { answerUnlessParsed, parseCommandArgs, type CommandIo } from './parse-command-args.ts';

export const serveUsage = `Usage: llm-sidecar serve [--config FILE]

Runs the gateway until SIGTERM or Ctrl-C; SIGHUP reloads the configuration.
  -c, --config FILE   YAML or JSON configuration (default: $LLM_SIDECAR_CONFIG, else defaults)
  -h, --help          this text

Environment variables override the file: PORT, HOST, OLLAMA_URL, API_KEYS, REDIS_URL, LOG_LEVEL,
LOG_FORMAT (pretty | json), ... (README, "Configuration"). A .env file in the working folder is read.
Exit code: 1 when start-up fails (the reason is printed on one line), 2 for bad arguments.
`;

/** `llm-sidecar serve [--config FILE]`: runs until SIGTERM/SIGINT; exit code 1 when start-up fails. */
export async function runServeCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(args, { config: { type: 'string', short: 'c' } });
  const answered = answerUnlessParsed(parsed, serveUsage, io);
  if (answered !== undefined || parsed.kind !== 'parsed') return answered ?? 2;
  // Node's own loader; variables already set in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    await serve({ configFile: parsed.values.config, handleSignals: true });
    return 0;
  } catch (error) {
    const line = describeStartupError(error);
    if (line === undefined) throw error;
    io.stderr.write(`llm-sidecar: ${line}\n`);
    return 1;
  }
}
