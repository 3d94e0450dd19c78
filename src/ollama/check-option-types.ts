/**
 * Ollama's check of a request's `options` (api/types.go `Options.FromMap`): each known key must have its
 * Go field's type. Unknown keys are only logged and `null` values skipped; integers take any JSON number
 * (Go truncates it). Ollama's scheduler reports the error, which Ollama answers with a 500; the gateway
 * refuses such a request itself with a 400 and the same text (the fault is the client's).
 */

type OptionKind = 'integer' | 'float32' | 'boolean' | 'array';

const optionKinds: Readonly<Record<string, OptionKind>> = {
  num_keep: 'integer',
  seed: 'integer',
  num_predict: 'integer',
  top_k: 'integer',
  top_p: 'float32',
  min_p: 'float32',
  typical_p: 'float32',
  repeat_last_n: 'integer',
  temperature: 'float32',
  repeat_penalty: 'float32',
  presence_penalty: 'float32',
  frequency_penalty: 'float32',
  stop: 'array',
  num_ctx: 'integer',
  num_batch: 'integer',
  num_gpu: 'integer',
  main_gpu: 'integer',
  use_mmap: 'boolean',
  num_thread: 'integer',
  draft_num_predict: 'integer',
};

/** Ollama's message for the first option of the wrong type, or `undefined` when all fit. */
export function checkOptionTypes(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  for (const [key, value] of Object.entries(options)) {
    const kind = optionKinds[key];
    if (kind === undefined || value === null) continue;
    const problem = describeMismatch(kind, value);
    if (problem !== undefined) return `option ${JSON.stringify(key)} ${problem}`;
  }
  return undefined;
}

function describeMismatch(kind: OptionKind, value: unknown): string | undefined {
  switch (kind) {
    case 'integer':
    case 'float32':
      return typeof value === 'number' ? undefined : `must be of type ${kind}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be of type boolean';
    case 'array':
      if (!Array.isArray(value)) return 'must be of type array';
      return value.every((item) => typeof item === 'string') ? undefined : 'must be of an array of strings';
  }
}
