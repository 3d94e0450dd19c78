import type { DestinationStream } from 'pino';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown in their own place rather than as `key=value`. */
const FIXED_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);
/** A request line leads with what a reader scans for; the remaining fields follow as `key=value`. */
const REQUEST_FIELDS = ['method', 'route', 'status', 'model', 'durationMs'];

/**
 * One pino JSON line as a line a person reads on a terminal:
 * `20:10:06.516 INFO  POST /v1/chat/completions 200 llama3.2:latest 812ms key=team-a alias=gpt-4o-mini client=127.0.0.1`.
 * Lines that are not JSON objects are returned as they are.
 */
export function formatPrettyLog(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (record === null || typeof record !== 'object') return `${line}\n`;
  const time = typeof record['time'] === 'string' ? record['time'].slice(11, 23) : '';
  const level = LEVEL_NAMES[record['level'] as number] ?? String(record['level']);
  const isRequestLine = record['msg'] === 'request' || record['msg'] === 'request failed';
  const lead = isRequestLine ? formatRequestLead(record) : typeof record['msg'] === 'string' ? record['msg'] : JSON.stringify(record['msg'] ?? '');
  const rest = Object.entries(record)
    .filter(([key, value]) => !FIXED_FIELDS.has(key) && value !== undefined && !(isRequestLine && REQUEST_FIELDS.includes(key)))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return `${[time, level, lead, ...rest].filter((part) => part !== '').join(' ')}\n`;
}

function formatRequestLead(record: Record<string, unknown>): string {
  const duration = typeof record['durationMs'] === 'number' ? `${record['durationMs']}ms` : '';
  const failed = record['msg'] === 'request failed' ? 'FAILED' : '';
  return [record['method'], record['route'], record['status'], record['model'], duration, failed]
    .filter((part) => part !== undefined && part !== '')
    .map(String)
    .join(' ');
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** A pino destination that writes each line formatted for a person to `output`. */
export function createPrettyDestination(output: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void output.write(formatPrettyLog(line)) };
}
