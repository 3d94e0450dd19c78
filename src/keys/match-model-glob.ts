/**
 * Compiles model globs (`*` any run of characters, `?` one) into one test over Ollama's canonical
 * names. A glob without a tag also matches the `:latest` spelling, so `llama3.2` covers
 * `llama3.2:latest` as it does everywhere else in the gateway. Case-insensitive, like model names.
 */
export function compileModelGlobs(globs: readonly string[]): (canonicalName: string) => boolean {
  const patterns = globs.map(toRegExp);
  return (canonicalName) => {
    const name = canonicalName.toLowerCase();
    const untagged = name.endsWith(':latest') ? name.slice(0, -':latest'.length) : name;
    return patterns.some((pattern) => pattern.test(name) || pattern.test(untagged));
  };
}

function toRegExp(glob: string): RegExp {
  const source = glob
    .toLowerCase()
    .replace(/[\\^$.|+()[\]{}]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`);
}
