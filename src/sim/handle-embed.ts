import { z } from 'zod';
import { checkOptionTypes } from '../ollama/check-option-types.ts';
import { countWords } from './compose-text.ts';
import { embedText, truncateEmbedding } from './embed-text.ts';
import type { CatalogModel } from './model-catalog.ts';
import { parseKeepAlive } from './parse-keep-alive.ts';
import { parseRequestBody } from './parse-request-body.ts';
import { runGeneration } from './run-generation.ts';
import { sendBodyWithFault, stallResponse } from './send-body-with-fault.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { sendError, sendJson } from './write-response.ts';

const embedRequestSchema = z.object({
  model: z.string().optional(),
  input: z.unknown().optional(),
  truncate: z.boolean().optional(),
  dimensions: z.number().optional(),
  keep_alive: z.unknown().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const legacyEmbeddingsRequestSchema = z.object({
  model: z.string().optional(),
  prompt: z.string().optional(),
  keep_alive: z.unknown().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** `POST /api/embed`: `{model, input: string | string[], truncate?, dimensions?}` → `{model, embeddings, …}`. */
export async function handleEmbed(context: SimContext, exchange: Exchange, body: unknown): Promise<void> {
  const parsed = parseRequestBody(embedRequestSchema, body, 'EmbedRequest');
  if (!parsed.ok) return sendError(exchange.response, 400, parsed.error);
  const request = parsed.value;
  const inputs = readInputs(request.input);
  if (inputs === undefined) return sendError(exchange.response, 400, 'invalid input type');
  const found = findEmbeddingModel(context, request.model ?? '', request.keep_alive, request.options);
  if ('status' in found) return sendError(exchange.response, found.status, found.message);
  if (inputs.length === 0) return sendJson(exchange.response, 200, { model: request.model, embeddings: [] });
  const wordCounts = inputs.map(countWords);
  if (request.truncate === false && wordCounts.some((count) => count > found.model.contextLength)) {
    return sendError(exchange.response, 400, 'the input length exceeds the context length');
  }
  const dimensions = request.dimensions;
  await runGeneration(context, exchange, {
    model: found.model,
    keepAliveMs: found.keepAliveMs,
    async deliver(fault, _readyNs, loadNs) {
      if (fault?.kind === 'stall') return stallResponse(exchange.response, 'application/json; charset=utf-8', exchange.signal);
      const embeddings = inputs.map((input) => {
        const vector = embedText(input, found.model.embeddingLength);
        return dimensions !== undefined && dimensions > 0 && dimensions < vector.length ? truncateEmbedding(vector, dimensions) : vector;
      });
      const responseBody = JSON.stringify({
        model: request.model,
        embeddings,
        total_duration: Math.max(1, Number(process.hrtime.bigint() - exchange.startedNs)),
        load_duration: loadNs,
        prompt_eval_count: wordCounts.reduce((total, count) => total + count, 0),
      });
      return sendBodyWithFault(exchange.response, responseBody, fault, exchange.destroySocket);
    },
  });
}

/** `POST /api/embeddings` (deprecated): `{model, prompt}` → `{embedding}`. */
export async function handleLegacyEmbeddings(context: SimContext, exchange: Exchange, body: unknown): Promise<void> {
  const parsed = parseRequestBody(legacyEmbeddingsRequestSchema, body, 'EmbeddingRequest');
  if (!parsed.ok) return sendError(exchange.response, 400, parsed.error);
  const request = parsed.value;
  // Unlike /api/embed, this older handler answers an empty name with a 400.
  if ((request.model ?? '') === '') return sendError(exchange.response, 400, 'model is required');
  const found = findEmbeddingModel(context, request.model ?? '', request.keep_alive, request.options);
  if ('status' in found) return sendError(exchange.response, found.status, found.message);
  const prompt = request.prompt ?? '';
  if (prompt === '') return sendJson(exchange.response, 200, { embedding: [] });
  await runGeneration(context, exchange, {
    model: found.model,
    keepAliveMs: found.keepAliveMs,
    async deliver(fault) {
      if (fault?.kind === 'stall') return stallResponse(exchange.response, 'application/json; charset=utf-8', exchange.signal);
      const responseBody = JSON.stringify({ embedding: embedText(prompt, found.model.embeddingLength) });
      return sendBodyWithFault(exchange.response, responseBody, fault, exchange.destroySocket);
    },
  });
}

function readInputs(input: unknown): string[] | undefined {
  if (input === undefined || input === null || input === '') return [];
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input;
  return undefined;
}

function findEmbeddingModel(
  context: SimContext,
  name: string,
  keepAlive: unknown,
  options: unknown,
): { model: CatalogModel; keepAliveMs: number } | { status: number; message: string } {
  if (name === '') return { status: 404, message: "model '' not found" };
  const model = context.catalog.find(name);
  if (model === undefined) return { status: 404, message: `model "${name}" not found, try pulling it first` };
  const parsedKeepAlive = parseKeepAlive(keepAlive);
  if ('error' in parsedKeepAlive) return { status: 400, message: parsedKeepAlive.error };
  const optionsProblem = checkOptionTypes(options);
  if (optionsProblem !== undefined) return { status: 500, message: optionsProblem };
  return { model, keepAliveMs: parsedKeepAlive.ms };
}
