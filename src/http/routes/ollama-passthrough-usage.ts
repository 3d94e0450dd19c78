import type { IncomingMessage } from 'node:http';
import type { Response } from 'express';
import { convertUsage } from '../../translate/convert-usage.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { recordUsage } from '../record-usage.ts';
import { contextOf } from '../request-context.ts';

/** The final line of a chat or generate answer is small; a longer "last line" is not one to count. */
const MAX_TAIL_CHARS = 1024 * 1024;

/**
 * Watches a proxied `/api/chat` or `/api/generate` answer (it still flows to the client untouched) for
 * the time to first byte and Ollama's final `done` line, whose counts go to `tokens_total`.
 */
export function tapOllamaUsage(services: GatewayServices, res: Response, proxyRes: IncomingMessage): void {
  const context = contextOf(res);
  const decoder = new TextDecoder();
  let line = '';
  let lastLine = '';
  proxyRes.on('data', (chunk: Buffer) => {
    context.firstTokenMs ??= services.now() - context.startedAt;
    const parts = (line + decoder.decode(chunk, { stream: true })).split('\n');
    line = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') lastLine = part;
    if (line.length > MAX_TAIL_CHARS) line = '';
  });
  proxyRes.once('end', () => {
    const finalLine = line.trim() !== '' ? line : lastLine;
    try {
      const parsed = JSON.parse(finalLine) as { done?: unknown; prompt_eval_count?: number; eval_count?: number };
      if (parsed.done === true) recordUsage(services, res, convertUsage(parsed));
    } catch {
      // Not JSON or cut short: nothing to count.
    }
  });
}
