/** A TCP port from a command-line string, or undefined when it is not one (0 asks for a free port). */
export function parsePort(text: string): number | undefined {
  const port = Number(text);
  return /^\d+$/.test(text.trim()) && port <= 65_535 ? port : undefined;
}
