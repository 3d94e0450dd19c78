/**
 * The Anthropic Messages fields the gateway accepts and does not act on, with the reason, and those
 * it refuses with a 400 naming them. README reproduces both tables; every other field is mapped by
 * `src/translate/anthropic/`.
 */
import type { FieldNote } from '../openai/ignored-fields.ts';

export const ignoredMessagesFields: readonly FieldNote[] = [
  { field: 'metadata.user_id', reason: 'An end-user id for Anthropic abuse monitoring; Ollama has no use for it.' },
  { field: 'service_tier', reason: 'Anthropic capacity tiers; there is one tier here.' },
  { field: 'cache_control (everywhere)', reason: 'Ollama reuses its KV cache per slot on its own; nothing is billed.' },
  { field: 'thinking.budget_tokens', reason: 'Ollama has no thinking budget: thinking is on or off (or a level); `max_tokens` still bounds the answer.' },
  { field: 'thinking.display', reason: 'Ollama always returns the thinking text it produced.' },
  { field: 'tool_choice.disable_parallel_tool_use', reason: 'Ollama cannot be told to emit at most one call; the model decides.' },
  { field: 'tools[].strict', reason: 'Ollama does not constrain tool arguments to the schema.' },
  { field: 'messages[].content[].citations', reason: 'Citations of earlier turns add nothing Ollama can use.' },
  { field: 'messages[].content[] thinking.signature', reason: 'Ollama signs nothing; the thinking text itself is sent back.' },
  { field: 'messages[].content[] redacted_thinking', reason: 'Encrypted by Anthropic; no local model can read it.' },
  { field: 'messages[].content[] tool_result.is_error', reason: 'Ollama tool messages have no error flag; the result text says what failed.' },
  { field: 'inference_geo, speed', reason: 'Anthropic placement and speed options; Ollama runs where it runs.' },
  { field: 'context_management', reason: 'Anthropic-side clearing of old tool results and thinking; the whole context is sent, which the model sees as the same conversation (Claude Code sends it).' },
  { field: 'anthropic-version, anthropic-beta headers', reason: 'Accepted and not read: one wire version is spoken.' },
];

export const refusedMessagesFields: readonly FieldNote[] = [
  { field: 'tools[].type (server tools: web_search, bash, code_execution, …)', reason: 'Nothing runs server tools here; the answer would silently lack them.' },
  { field: 'mcp_servers', reason: 'The gateway connects to no MCP servers.' },
  { field: 'container', reason: 'There is no code execution container.' },
  { field: 'messages[].content[] document / search_result', reason: 'Ollama reads no documents; send the text.' },
  { field: 'messages[].content[].source (file)', reason: 'There is no Files API; send base64 data or a URL.' },
  { field: 'tool_choice naming an unknown tool', reason: 'The named tool is not in `tools`.' },
];
