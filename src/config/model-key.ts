/**
 * Ollama's own normalisation: a name without a tag means `:latest`, so `llama3.2` and
 * `llama3.2:latest` are one model. A `:` before the last `/` belongs to a host (`localhost:5000/m`),
 * not to a tag. Names are case-insensitive in Ollama's store; we keep the case the list reports.
 */
export function canonicalModelName(name: string): string {
  const trimmed = name.trim();
  const lastSlash = trimmed.lastIndexOf('/');
  const lastColon = trimmed.lastIndexOf(':');
  return lastColon > lastSlash ? trimmed : `${trimmed}:latest`;
}

/** The comparison key for two spellings of one model name. */
export function modelKey(name: string): string {
  return canonicalModelName(name).toLowerCase();
}
