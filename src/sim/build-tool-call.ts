import type { OllamaTool, OllamaToolCall } from '../ollama/wire.ts';
import { buildSchemaValue } from './build-schema-value.ts';
import { createRandom, hashText } from './deterministic-random.ts';

const placeNames = /location|city|place|country|town|where/i;

/**
 * The tool call a model would make for `prompt`, or undefined when it would answer in text: a tool is
 * called when the prompt names one of the tools' functions, or asks to "call" or "use" a tool (then the
 * first tool). Arguments fill the required parameters (all, when none are required) by type.
 */
export function buildToolCall(tools: readonly OllamaTool[], prompt: string): OllamaToolCall | undefined {
  if (tools.length === 0) return undefined;
  const named = tools.find((tool) => tool.function.name !== '' && prompt.includes(tool.function.name));
  const chosen = named ?? (/\b(call|use)\b/i.test(prompt) ? tools[0] : undefined);
  if (chosen === undefined) return undefined;
  const seed = hashText(`${chosen.function.name}\n${prompt}`);
  return {
    id: `call_${toBase36Id(seed)}`,
    function: { index: 0, name: chosen.function.name, arguments: buildArguments(chosen.function.parameters, createRandom(seed)) },
  };
}

function buildArguments(parameters: unknown, random: () => number): Record<string, unknown> {
  if (typeof parameters !== 'object' || parameters === null) return {};
  const schema = parameters as Record<string, unknown>;
  const properties = (schema['properties'] ?? {}) as Record<string, unknown>;
  const required = Array.isArray(schema['required']) ? schema['required'].filter((key) => typeof key === 'string') : [];
  const keys = required.length > 0 ? required : Object.keys(properties);
  const argumentsObject: Record<string, unknown> = {};
  for (const key of keys) {
    const propertySchema = properties[key] ?? { type: 'string' };
    argumentsObject[key] = isPlainString(propertySchema) && placeNames.test(key) ? 'Paris' : buildSchemaValue(propertySchema, random, parameters);
  }
  return argumentsObject;
}

function isPlainString(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const record = schema as Record<string, unknown>;
  return record['type'] === 'string' && record['enum'] === undefined;
}

/** 8 characters of `[a-z0-9]`, like Ollama's `call_k3j5x9qa`. */
function toBase36Id(seed: number): string {
  const random = createRandom(seed);
  let id = '';
  for (let index = 0; index < 8; index++) id += Math.floor(random() * 36).toString(36);
  return id;
}
