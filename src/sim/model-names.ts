/** `llama3.2` → `llama3.2:latest`; a name that already has a tag is kept. */
export function normalizeModelName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

/** The fully qualified name Ollama uses in some errors: `registry.ollama.ai/library/NAME:TAG`. */
export function qualifyModelName(name: string): string {
  const normalized = normalizeModelName(name);
  const slashes = normalized.split('/').length - 1;
  if (slashes === 0) return `registry.ollama.ai/library/${normalized}`;
  if (slashes === 1) return `registry.ollama.ai/${normalized}`;
  return normalized;
}
