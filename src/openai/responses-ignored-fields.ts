/**
 * The Responses API fields the gateway accepts and does not act on, with the reason, and those it
 * refuses with a 400 naming them. README reproduces both tables; every other field is mapped by
 * `src/translate/responses/` or, for `store` and `previous_response_id`, by the responses store.
 */
import type { FieldNote } from './ignored-fields.ts';

export const ignoredResponsesFields: readonly FieldNote[] = [
  { field: 'user', reason: 'An end-user id for OpenAI abuse monitoring; echoed, not used.' },
  { field: 'safety_identifier', reason: 'Same purpose as `user`.' },
  { field: 'metadata', reason: 'Echoed in the response (and kept with it when stored); Ollama has no use for it.' },
  { field: 'service_tier', reason: 'OpenAI billing tiers; there is one tier here.' },
  { field: 'prompt_cache_key', reason: 'Ollama reuses its KV cache per slot on its own.' },
  { field: 'prompt_cache_retention', reason: 'Same as `prompt_cache_key`.' },
  { field: 'parallel_tool_calls', reason: 'Ollama cannot be told to emit at most one call; the model decides.' },
  { field: 'max_tool_calls', reason: 'One response is one Ollama generation, which calls tools at most once per call the model emits.' },
  { field: 'truncation', reason: 'Echoed; Ollama keeps to its context window on its own.' },
  { field: 'include', reason: 'Reasoning items always carry `encrypted_content` (the thinking text); nothing else can be included.' },
  { field: 'reasoning.summary, reasoning.generate_summary', reason: 'The reasoning item carries the whole thinking text, not a summary.' },
  { field: 'text.verbosity', reason: 'A hint for OpenAI reasoning models with no Ollama equivalent.' },
  { field: 'text.format.name, text.format.description, text.format.strict', reason: 'Ollama takes the bare schema and always constrains output to it.' },
  { field: 'tools[].strict', reason: 'Ollama does not constrain tool arguments to the schema.' },
  { field: 'stream_options.include_obfuscation', reason: 'Events carry no obfuscation padding.' },
  { field: 'input[].id, input[].status', reason: 'Item ids and statuses of earlier output are not needed to continue.' },
  { field: 'input[].content[].detail', reason: 'Ollama always sees the image at its own resolution.' },
  { field: 'input[].content[].annotations, input[].content[].logprobs', reason: 'Annotations and log probabilities of earlier output add nothing Ollama can use.' },
];

export const refusedResponsesFields: readonly FieldNote[] = [
  { field: 'tools[].type (built-in tools: web_search, file_search, computer_use, code_interpreter, mcp, image_generation, …)', reason: 'Nothing runs built-in tools here; the answer would silently lack them.' },
  { field: 'background (true)', reason: 'Responses run while the client waits (or streams).' },
  { field: 'conversation', reason: 'Conversations are not stored; continue with `previous_response_id`.' },
  { field: 'prompt', reason: 'Stored prompt templates do not exist here; send `instructions` and `input`.' },
  { field: 'context_management', reason: 'The gateway does not compact the context.' },
  { field: 'top_logprobs (> 0)', reason: 'Not translated into the Responses logprobs format.' },
  { field: 'input[] item_reference', reason: 'Items are not looked up by id; send the item, or use `previous_response_id`.' },
  { field: 'input[].content[] input_file', reason: 'Ollama reads no files; send the text.' },
  { field: 'input[].content[].file_id (input_image)', reason: 'There is no Files API; send `image_url`.' },
  { field: 'tool_choice naming an unknown function', reason: 'The named function is not in `tools`.' },
];
