import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/config-schema.ts';
import { conversationAffinityKey, headerAffinityKey, type ConversationMessage } from '../upstreams/affinity-key.ts';

/**
 * The key that keeps one conversation on one node, when the routing strategy is `affinity`: the
 * client's `X-Session-Id` (`affinityKey: header`), or a hash of the system prompt and first user
 * message of the body (chat `messages`, or generate's `system` and `prompt`). Undefined otherwise.
 */
export function affinityOfRequest(config: Config, headers: IncomingHttpHeaders, body: unknown): string | undefined {
  if (config.routing.strategy !== 'affinity') return undefined;
  if (config.routing.affinityKey === 'header') return headerAffinityKey(headers['x-session-id']);
  const fields = (body ?? {}) as { messages?: unknown; prompt?: unknown; system?: unknown };
  const system = typeof fields.system === 'string' ? fields.system : undefined;
  if (Array.isArray(fields.messages)) return conversationAffinityKey(fields.messages as ConversationMessage[], system);
  if (typeof fields.prompt === 'string') return conversationAffinityKey([{ role: 'user', content: fields.prompt }], system);
  return undefined;
}
