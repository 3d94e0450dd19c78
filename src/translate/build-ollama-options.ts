/** The sampling fields a client set → Ollama's `options`, on top of the configured per-model defaults. */
import type { OllamaKeepAlive, OllamaOptions } from '../ollama/wire.ts';

/** Per-model values from the config (`models.<name>.options`, `.keepAlive`), placed under the client's. */
export interface TranslationDefaults {
  options?: Readonly<Record<string, unknown>> | undefined;
  keepAlive?: OllamaKeepAlive | undefined;
}

/** Sampling fields shared by chat and completions; `null` means "not set", as in OpenAI. */
export interface SamplingFields {
  num_predict?: number | null | undefined;
  temperature?: number | null | undefined;
  top_p?: number | null | undefined;
  seed?: number | null | undefined;
  frequency_penalty?: number | null | undefined;
  presence_penalty?: number | null | undefined;
  stop?: string | string[] | null | undefined;
  top_k?: number | null | undefined;
}

/**
 * Only what the client set is sent, so the Modelfile's own defaults stay in force (Ollama's layer
 * forces temperature 1.0 and top_p 1.0). Layers, lowest first: the configured per-model options, the
 * client's Ollama options (`options` and the extras, see `ollama-options-extension.ts`), then the
 * dialect's own fields. `undefined` when there is nothing to send.
 */
export function buildOllamaOptions(
  fields: SamplingFields,
  defaults: TranslationDefaults | undefined,
  clientOptions: Readonly<Record<string, unknown>> = {},
): OllamaOptions | undefined {
  const options: OllamaOptions = { ...defaults?.options, ...clientOptions };
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    options[key] = key === 'stop' && typeof value === 'string' ? [value] : value;
  }
  return Object.keys(options).length === 0 ? undefined : options;
}

/** The client's `keep_alive` (our extension) wins over the configured one. */
export function pickKeepAlive(requested: OllamaKeepAlive | null | undefined, defaults: TranslationDefaults | undefined): OllamaKeepAlive | undefined {
  return requested ?? defaults?.keepAlive;
}
