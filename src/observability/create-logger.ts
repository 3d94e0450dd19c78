import { pino, type Logger, type DestinationStream } from 'pino';
import { createPrettyDestination } from './format-pretty-log.ts';

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  level: string;
  /** `pretty` writes lines for a person to stdout; `json` (the default) one JSON object a line. */
  format?: LogFormat;
  destination?: DestinationStream;
}

/**
 * Logs with pino. Authorization headers and API keys are redacted wherever they appear; bodies are
 * never logged unless `logBodies` is set by the caller.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'llm-sidecar' },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'apiKey', 'apiKeys', 'config.apiKeys', 'config.metricsToken'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? (options.format === 'pretty' ? createPrettyDestination(process.stdout) : pino.destination({ dest: 1, sync: false })),
  );
}

/** JSON unless asked otherwise: pretty on a terminal, JSON for a log collector (stdout not a TTY). */
export function chooseLogFormat(configured: LogFormat | undefined, stdoutIsTty: boolean): LogFormat {
  return configured ?? (stdoutIsTty ? 'pretty' : 'json');
}
