import { z } from 'zod';
import { countWords } from '../compose-text.ts';
import { embedText, truncateEmbedding } from '../embed-text.ts';
import type { Exchange, SimContext } from '../sim-context.ts';
import { sendJson } from '../write-response.ts';
import { runOpenAiGeneration } from './run-openai-generation.ts';
import { sendOpenAiError } from './write-openai-response.ts';

const embeddingsSchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  dimensions: z.number().int().positive().optional(),
});

/** `POST /v1/embeddings`: float vectors, deterministic per input (the same as Ollama mode's). */
export async function handleOpenAiEmbeddings(context: SimContext, exchange: Exchange, body: unknown): Promise<void> {
  const parsed = embeddingsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendOpenAiError(exchange.response, 400, `Invalid request: ${issue?.message ?? 'bad body'}`, 'invalid_request_error', null, issue?.path.join('.') || null);
  }
  const request = parsed.data;
  const model = context.catalog.find(request.model);
  if (model === undefined || !model.capabilities.includes('embedding')) {
    return sendOpenAiError(exchange.response, 404, `The model \`${request.model}\` does not exist or does not embed.`, 'invalid_request_error', 'model_not_found', 'model');
  }
  const inputs = [request.input].flat();
  await runOpenAiGeneration(context, exchange, model.name, 'application/json', async () => {
    const data = inputs.map((input, index) => {
      const vector = embedText(input, model.embeddingLength);
      const dimensions = request.dimensions;
      return { object: 'embedding', index, embedding: dimensions !== undefined && dimensions < vector.length ? truncateEmbedding(vector, dimensions) : vector };
    });
    const promptTokens = inputs.reduce((total, input) => total + countWords(input), 0);
    sendJson(exchange.response, 200, { object: 'list', data, model: request.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
  });
}
