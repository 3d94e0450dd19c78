const unitMilliseconds: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds in a duration such as `30s`, `500ms`, `2m`, `1.5h` or a bare number of seconds;
 * `null` when the text is not a positive duration.
 */
export function parseDurationMilliseconds(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return null;
  const amount = Number(match[1]);
  const milliseconds = amount * (unitMilliseconds[match[2] ?? 's'] ?? 1_000);
  return milliseconds > 0 ? milliseconds : null;
}
