import { LineSplitter } from '../../ollama/split-lines.ts';
import { convertUsage } from '../../translate/convert-usage.ts';

/** The final line of a chat or generate answer is small; a longer line is not one to count. */
const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Watches a relayed `/api/chat` or `/api/generate` answer (it still flows to the client untouched)
 * for Ollama's final `done` line, whose counts are the request's usage.
 */
export class OllamaUsageTap {
  #splitter = new LineSplitter(MAX_LINE_BYTES);
  #lastLine: string | undefined;

  push(chunk: Buffer): void {
    try {
      const lines = this.#splitter.push(chunk);
      if (lines.length > 0) this.#lastLine = lines[lines.length - 1];
    } catch {
      // An oversized line: not the final one; start over.
      this.#splitter = new LineSplitter(MAX_LINE_BYTES);
    }
  }

  /** The usage of the final line, when the answer ended with a `done` line. */
  usage(): ReturnType<typeof convertUsage> | undefined {
    const finalLine = this.#splitter.end() ?? this.#lastLine;
    if (finalLine === undefined) return undefined;
    try {
      const parsed = JSON.parse(finalLine) as { done?: unknown; prompt_eval_count?: number; eval_count?: number };
      return parsed.done === true ? convertUsage(parsed) : undefined;
    } catch {
      // Not JSON or cut short: nothing to count.
      return undefined;
    }
  }
}
