/** Ollama's default residency (OLLAMA_KEEP_ALIVE = 5m). */
export const defaultKeepAliveMs = 5 * 60_000;

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `keep_alive` → milliseconds to stay loaded (`Infinity` = forever, 0 = unload now), or an error text.
 * Numbers are seconds; strings are Go durations, which need a unit (`"10"` is an error, as in Ollama).
 */
export function parseKeepAlive(value: unknown): { ms: number } | { error: string } {
  if (value === undefined || value === null) return { ms: defaultKeepAliveMs };
  if (typeof value === 'number') return { ms: value < 0 ? Infinity : value * 1000 };
  if (typeof value !== 'string') return { error: `Unsupported type: '${goTypeName(value)}'` };
  return parseGoDuration(value);
}

function parseGoDuration(text: string): { ms: number } | { error: string } {
  if (text === '0') return { ms: 0 };
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!match) {
    const missingUnit = /^[+-]?\d+(?:\.\d*)?$/.test(text);
    return { error: `time: ${missingUnit ? 'missing unit in' : 'invalid'} duration "${text}"` };
  }
  let ms = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    ms += Number(part[1]) * (unitMs[part[2] ?? 's'] ?? 0);
  }
  return { ms: match[1] === '-' ? Infinity : ms };
}

function goTypeName(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
