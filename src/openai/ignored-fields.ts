/**
 * The one list of OpenAI request fields the gateway accepts and does not act on, with the reason, and
 * of the fields it refuses with a 400 naming them. README reproduces both tables. Every other
 * documented field is mapped to Ollama (see `src/translate/to-ollama-*.ts`); unknown keys are dropped.
 */

export interface FieldNote {
  /** Dotted path as OpenAI names it. */
  field: string;
  reason: string;
}

export const ignoredChatFields: readonly FieldNote[] = [
  { field: 'user', reason: 'An end-user id for OpenAI abuse monitoring; Ollama has no use for it.' },
  { field: 'safety_identifier', reason: 'Same purpose as `user`.' },
  { field: 'store', reason: 'OpenAI-side storage of completions; the gateway stores nothing.' },
  { field: 'metadata', reason: 'Tags for stored completions; nothing is stored.' },
  { field: 'service_tier', reason: 'OpenAI billing tiers; there is one tier here.' },
  { field: 'prompt_cache_key', reason: 'Ollama reuses its KV cache per slot on its own.' },
  { field: 'prompt_cache_retention', reason: 'Same as `prompt_cache_key`.' },
  { field: 'prediction', reason: 'A latency optimisation only: the output is the same without it.' },
  { field: 'parallel_tool_calls', reason: 'Ollama cannot be told to emit at most one call; the model decides.' },
  { field: 'verbosity', reason: 'A hint for OpenAI reasoning models with no Ollama equivalent.' },
  { field: 'stream_options.include_obfuscation', reason: 'Chunks carry no obfuscation padding.' },
  { field: 'moderation', reason: 'No moderation model runs beside Ollama.' },
  { field: 'response_format.json_schema.name', reason: 'Ollama takes the bare schema.' },
  { field: 'response_format.json_schema.description', reason: 'Ollama takes the bare schema.' },
  { field: 'response_format.json_schema.strict', reason: 'Ollama always constrains output to the schema.' },
  { field: 'tools[].function.strict', reason: 'Ollama does not constrain tool arguments to the schema.' },
  { field: 'messages[].name', reason: 'Ollama messages have no author name (on `tool` messages it names the tool).' },
  { field: 'messages[].refusal', reason: 'An earlier refusal adds nothing Ollama can use.' },
  { field: 'messages[].content[].image_url.detail', reason: 'Ollama always sees the image at its own resolution.' },
  { field: 'messages[].content[].input_audio.format', reason: 'Ollama detects the format from the bytes.' },
  { field: 'modalities (["text"])', reason: 'Text is the only modality; `audio` is refused.' },
];

export const ignoredCompletionFields: readonly FieldNote[] = [
  { field: 'user', reason: 'An end-user id for OpenAI abuse monitoring; Ollama has no use for it.' },
  { field: 'stream_options.include_obfuscation', reason: 'Chunks carry no obfuscation padding.' },
  { field: 'best_of (1)', reason: 'One candidate per choice is what Ollama generates anyway; larger values are refused.' },
];

export const ignoredEmbeddingFields: readonly FieldNote[] = [
  { field: 'user', reason: 'An end-user id for OpenAI abuse monitoring; Ollama has no use for it.' },
];

/** Fields whose silent loss would mislead the client: a 400 naming the field instead. */
export const refusedFields: readonly FieldNote[] = [
  { field: 'logit_bias', reason: 'Ollama cannot bias tokens (an empty object is accepted).' },
  { field: 'audio', reason: 'Ollama produces no audio output.' },
  { field: 'modalities', reason: 'Refused when it contains `audio`.' },
  { field: 'web_search_options', reason: 'Nothing searches the web; the answer would silently lack it.' },
  { field: 'functions / function_call', reason: 'Deprecated by OpenAI; send `tools` and `tool_choice`.' },
  { field: 'messages[].content[] of type file', reason: 'Ollama reads no files; send the text.' },
  { field: 'messages[].content[].image_url (http/https) with imageFetch.enabled false', reason: 'Ollama needs the image bytes; with fetching on, the gateway fetches them (see Image URLs).' },
  { field: 'tool_choice naming an unknown function', reason: 'The named function is not in `tools`.' },
  { field: 'prompt / input as token arrays', reason: 'Ollama takes text only.' },
  { field: 'best_of (> 1)', reason: 'Ollama returns no scores to choose the best candidate with.' },
];
