/**
 * Where finished Responses API answers are kept so a follow-up can name one in `previous_response_id`
 * (and `GET`/`DELETE /v1/responses/{id}` can reach it). Ollama itself is stateless; this is the state.
 * Bounded by count and age per owner (the API key that made the response, when keys are configured).
 */
import { z } from 'zod';
import { responseObjectSchema } from '../openai/responses-object.ts';
import { inputItemSchema } from '../openai/responses-request.ts';

export const storedResponseSchema = z.object({
  response: responseObjectSchema,
  /** The whole conversation before the output: earlier turns of the chain, then this request's input. */
  input: z.array(inputItemSchema),
});
export type StoredResponse = z.infer<typeof storedResponseSchema>;

export interface ResponsesStoreLimits {
  /** Most responses kept per owner; the oldest go first. */
  maxResponses: number;
  /** A response is forgotten this long after it was stored. */
  maxAgeMs: number;
}

/** `owner` is an opaque id of the caller's key, or `''` when no keys are configured. */
export interface ResponsesStore {
  save(owner: string, record: StoredResponse): Promise<void>;
  /** `undefined` for an unknown or expired id, and for an id another owner stored. */
  get(owner: string, id: string): Promise<StoredResponse | undefined>;
  /** Whether there was such a response to delete. */
  delete(owner: string, id: string): Promise<boolean>;
  close(): Promise<void>;
}
