import { createHash } from 'node:crypto';

/** A chat message as every dialect has it: a role and some content. */
export interface ConversationMessage {
  readonly role: string;
  readonly content?: unknown;
}

/**
 * The key that keeps one conversation on one node: a hash of its system prompt and first user
 * message, which every later turn of the same conversation repeats. Undefined when there is no user
 * message to key on.
 */
export function conversationAffinityKey(messages: readonly ConversationMessage[], system?: string): string | undefined {
  const firstUser = messages.find((message) => message.role === 'user');
  if (firstUser === undefined) return undefined;
  const systemText = system ?? messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content)).join('\n');
  return createHash('sha256').update(systemText).update('\u0000').update(textOf(firstUser.content)).digest('base64url');
}

/** The client's own session id (`X-Session-Id`), when it sent one. */
export function headerAffinityKey(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function textOf(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content ?? null);
}
