import { readFile } from 'node:fs/promises';
import { builtinPrompts } from './builtin-prompts.ts';

/** One chat message as sent to a chat API. */
export interface BenchMessage {
  role: string;
  content: string;
}

/** What one request asks: plain text, or a full conversation for chat APIs. */
export type BenchPrompt = { kind: 'text'; text: string } | { kind: 'messages'; messages: BenchMessage[] };

/** Where the prompts come from, as given on the command line. */
export interface PromptSource {
  prompt: string | null;
  promptsFile: string | null;
}

/**
 * The prompts for a run: the single --prompt, the lines of --prompts-file, or the built-in set.
 * A file line that is a JSON array of messages, or an object with `messages`, is a conversation;
 * any other non-blank line is a text prompt.
 */
export async function loadPrompts(source: PromptSource): Promise<BenchPrompt[]> {
  if (source.prompt !== null) return [{ kind: 'text', text: source.prompt }];
  if (source.promptsFile === null) return builtinPrompts.map((text) => ({ kind: 'text', text }));
  const lines = (await readFile(source.promptsFile, 'utf8')).split(/\r?\n/);
  const prompts = lines.filter((line) => line.trim() !== '').map((line, index) => parsePromptLine(line, index + 1));
  if (prompts.length === 0) throw new Error(`${source.promptsFile} holds no prompts`);
  return prompts;
}

/** Parses one line of a prompts file; `lineNumber` names the line in errors. */
export function parsePromptLine(line: string, lineNumber: number): BenchPrompt {
  const trimmed = line.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return { kind: 'text', text: line };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { kind: 'text', text: line };
  }
  const candidate = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown }).messages;
  if (!Array.isArray(candidate) || candidate.length === 0 || !candidate.every(isMessage)) {
    throw new Error(`prompts file line ${lineNumber}: expected a non-empty array of {role, content} messages`);
  }
  return { kind: 'messages', messages: candidate.map(({ role, content }) => ({ role, content })) };
}

function isMessage(value: unknown): value is BenchMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { role, content } = value as Record<string, unknown>;
  return typeof role === 'string' && typeof content === 'string';
}
