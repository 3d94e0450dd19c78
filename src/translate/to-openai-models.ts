/** Ollama's installed models (`/api/tags`) → OpenAI's model objects, with the configured aliases. */
import { modelKey } from '../config/model-key.ts';
import type { OllamaTag } from '../ollama/wire.ts';
import type { ModelListResponse, ModelResponse } from '../openai/model-response.ts';

/** `id` is the native `model` (or `name`), `created` the unix seconds of `modified_at`, `owned_by` the namespace. */
export function toOpenAIModel(tag: OllamaTag): ModelResponse {
  const id = tag.model || tag.name;
  return { id, object: 'model', created: toUnixSeconds(tag.modified_at), owned_by: readOwner(id) };
}

/**
 * Every installed model, then every alias (`gpt-4o-mini` → `llama3.2:3b`) as a model of its own that
 * its target's owner owns. `data` is `[]` when nothing is installed (Ollama's layer sends `null`).
 */
export function toOpenAIModelList(tags: readonly OllamaTag[], aliases: Readonly<Record<string, string>>): ModelListResponse {
  const models = tags.map(toOpenAIModel);
  const aliasModels = Object.entries(aliases).map(([alias, target]): ModelResponse => {
    const installed = tags.find((tag) => modelKey(tag.model || tag.name) === modelKey(target));
    return { id: alias, object: 'model', created: toUnixSeconds(installed?.modified_at), owned_by: readOwner(target) };
  });
  return { object: 'list', data: [...models, ...aliasModels] };
}

/** `user/model:tag` → `user`; `hf.co/user/repo:tag` → `user`; a bare name → `library`, as in Ollama. */
export function readOwner(name: string): string {
  const segments = name.split('/');
  return segments.length >= 2 ? (segments.at(-2) ?? 'library') : 'library';
}

function toUnixSeconds(timestamp: string | undefined): number {
  const milliseconds = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(milliseconds) ? 0 : Math.floor(milliseconds / 1000);
}
