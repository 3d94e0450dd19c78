/**
 * Writes `schemas/*.json` (JSON Schema 2020-12) from the zod schemas, so `openapi.yaml` and users get
 * exactly what the code validates. Run `node scripts/export-schemas.ts` after changing a schema;
 * `test/schemas/schemas-drift.test.ts` fails until you do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { anthropicErrorBodySchema } from '../src/anthropic/error-body.ts';
import { countTokensRequestSchema, messagesRequestSchema } from '../src/anthropic/messages-request.ts';
import { countTokensResponseSchema, messageSchema, messageStreamEventSchema } from '../src/anthropic/messages-response.ts';
import { configSchema } from '../src/config/config-schema.ts';
import { chatCompletionRequestSchema } from '../src/openai/chat-completion-request.ts';
import { chatCompletionChunkSchema, chatCompletionSchema } from '../src/openai/chat-completion-response.ts';
import { completionRequestSchema } from '../src/openai/completion-request.ts';
import { embeddingRequestSchema } from '../src/openai/embedding-request.ts';
import { embeddingListSchema } from '../src/openai/embedding-response.ts';
import { errorBodySchema } from '../src/openai/error-body.ts';
import { ollamaErrorSchema } from '../src/ollama/wire.ts';
import { modelListSchema, modelSchema } from '../src/openai/model-response.ts';
import { llmGenerateRequestSchema, llmPullRequestSchema } from '../src/openai/sidecar-llm-request.ts';
import { llmGenerateChunkSchema, llmGenerateResponseSchema, llmPullProgressSchema, llmPullResponseSchema } from '../src/openai/sidecar-llm-response.ts';
import { deletedResponseSchema, inputItemListSchema, responseObjectSchema, responseStreamEventSchema } from '../src/openai/responses-object.ts';
import { responsesRequestSchema } from '../src/openai/responses-request.ts';
import { statusResponseSchema } from '../src/openai/sidecar-status-response.ts';
import { statusStreamEventSchema } from '../src/openai/sidecar-status-stream-event.ts';
import { textCompletionChunkSchema, textCompletionSchema } from '../src/openai/text-completion-response.ts';
import { usageResponseSchema } from '../src/usage/usage-response.ts';

/** Requests and the config are described as written (defaults optional); responses as sent. */
const exported: readonly { file: string; schema: z.ZodType; io: 'input' | 'output' }[] = [
  { file: 'config.json', schema: configSchema, io: 'input' },
  { file: 'chat-completion-request.json', schema: chatCompletionRequestSchema, io: 'input' },
  { file: 'completion-request.json', schema: completionRequestSchema, io: 'input' },
  { file: 'embedding-request.json', schema: embeddingRequestSchema, io: 'input' },
  { file: 'error.json', schema: errorBodySchema, io: 'output' },
  { file: 'ollama-error.json', schema: ollamaErrorSchema, io: 'output' },
  { file: 'chat-completion.json', schema: chatCompletionSchema, io: 'output' },
  { file: 'chat-completion-chunk.json', schema: chatCompletionChunkSchema, io: 'output' },
  { file: 'text-completion.json', schema: textCompletionSchema, io: 'output' },
  { file: 'text-completion-chunk.json', schema: textCompletionChunkSchema, io: 'output' },
  { file: 'embedding-list.json', schema: embeddingListSchema, io: 'output' },
  { file: 'model.json', schema: modelSchema, io: 'output' },
  { file: 'model-list.json', schema: modelListSchema, io: 'output' },
  { file: 'llm-generate-request.json', schema: llmGenerateRequestSchema, io: 'input' },
  { file: 'llm-generate-response.json', schema: llmGenerateResponseSchema, io: 'output' },
  { file: 'llm-generate-chunk.json', schema: llmGenerateChunkSchema, io: 'output' },
  { file: 'llm-pull-request.json', schema: llmPullRequestSchema, io: 'input' },
  { file: 'llm-pull-progress.json', schema: llmPullProgressSchema, io: 'output' },
  { file: 'llm-pull-response.json', schema: llmPullResponseSchema, io: 'output' },
  { file: 'status-response.json', schema: statusResponseSchema, io: 'output' },
  { file: 'status-stream-event.json', schema: statusStreamEventSchema, io: 'output' },
  { file: 'usage-response.json', schema: usageResponseSchema, io: 'output' },
  { file: 'responses-request.json', schema: responsesRequestSchema, io: 'input' },
  { file: 'response.json', schema: responseObjectSchema, io: 'output' },
  { file: 'response-stream-event.json', schema: responseStreamEventSchema, io: 'output' },
  { file: 'response-deleted.json', schema: deletedResponseSchema, io: 'output' },
  { file: 'response-input-items.json', schema: inputItemListSchema, io: 'output' },
  { file: 'anthropic-messages-request.json', schema: messagesRequestSchema, io: 'input' },
  { file: 'anthropic-count-tokens-request.json', schema: countTokensRequestSchema, io: 'input' },
  { file: 'anthropic-message.json', schema: messageSchema, io: 'output' },
  { file: 'anthropic-stream-event.json', schema: messageStreamEventSchema, io: 'output' },
  { file: 'anthropic-count-tokens.json', schema: countTokensResponseSchema, io: 'output' },
  { file: 'anthropic-error.json', schema: anthropicErrorBodySchema, io: 'output' },
];

/** File name → the exact text the `schemas/` folder must hold. */
export function renderSchemaFiles(): Map<string, string> {
  return new Map(
    exported.map(({ file, schema, io }) => [file, `${JSON.stringify(z.toJSONSchema(schema, { io }), null, 2)}\n`]),
  );
}

export const schemasDirectory = join(import.meta.dirname, '..', 'schemas');

if (import.meta.main) {
  mkdirSync(schemasDirectory, { recursive: true });
  for (const [file, text] of renderSchemaFiles()) writeFileSync(join(schemasDirectory, file), text);
  console.log(`wrote ${exported.length} schemas to ${schemasDirectory}`);
}
