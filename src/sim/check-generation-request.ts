import { z } from 'zod';
import type { OllamaThink } from '../ollama/wire.ts';
import { checkOptionTypes } from '../ollama/check-option-types.ts';
import type { CatalogModel, ModelCatalog } from './model-catalog.ts';
import { qualifyModelName } from './model-names.ts';
import { parseKeepAlive } from './parse-keep-alive.ts';

/** `keep_alive` is read by `parseKeepAlive`, which words its errors as Ollama's `Duration` decoder does. */
export const undecodedKeepAlive = { keep_alive: z.unknown().optional() };

/** An error answer before anything is generated: HTTP status and Ollama's message. */
export interface Refusal {
  status: number;
  message: string;
}

/** What chat and generate requests share, checked in Ollama's order. */
export interface GenerationCheck {
  route: 'chat' | 'generate';
  model: string | undefined;
  keepAlive: unknown;
  think: OllamaThink | undefined;
  hasTools: boolean;
  options: unknown;
  topLogprobs: number | undefined;
}

/** The model and keep-alive for a chat/generate request, or the refusal Ollama would send. */
export function checkGenerationRequest(
  catalog: ModelCatalog,
  check: GenerationCheck,
): { model: CatalogModel; keepAliveMs: number; think: boolean } | Refusal {
  const topLogprobs = check.topLogprobs ?? 0;
  if (topLogprobs < 0 || topLogprobs > 20) return { status: 400, message: 'top_logprobs must be between 0 and 20' };
  const name = check.model ?? '';
  if (name === '') {
    // Ollama's generate handler answers an invalid (empty) name with a 404, its chat handler with a 400.
    return check.route === 'chat' ? { status: 400, message: 'model is required' } : { status: 404, message: "model '' not found" };
  }
  const model = catalog.find(name);
  if (model === undefined) return { status: 404, message: `model '${name}' not found` };
  const keepAlive = parseKeepAlive(check.keepAlive);
  if ('error' in keepAlive) return { status: 400, message: keepAlive.error };
  if (!model.capabilities.includes('completion')) return { status: 400, message: `"${name}" does not support ${check.route}` };
  if (check.hasTools && !model.capabilities.includes('tools')) {
    return { status: 400, message: `${qualifyModelName(name)} does not support tools` };
  }
  const canThink = model.capabilities.includes('thinking');
  if (check.think !== undefined && check.think !== false && !canThink) {
    return { status: 400, message: `"${name}" does not support thinking` };
  }
  const optionsProblem = checkOptionTypes(check.options);
  if (optionsProblem !== undefined) return { status: 500, message: optionsProblem };
  // Thinking models think unless told not to.
  return { model, keepAliveMs: keepAlive.ms, think: canThink && check.think !== false };
}
