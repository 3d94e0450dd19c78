/** What a request without any output bound reserves against its key's `tpm` until it ends. */
export const DEFAULT_RESERVED_TOKENS = 1024;

/**
 * The tokens to hold against a key's `tpm` at admission: the output bound the request itself sets
 * (`max_tokens`, `max_completion_tokens`, `max_output_tokens`, Ollama's `options.num_predict`) or
 * {@link DEFAULT_RESERVED_TOKENS}, times `n` when it asks for several choices. The prompt is not
 * estimated: when the request ends, the reservation is replaced by the real prompt plus completion count.
 */
export function tokensToReserve(body: unknown): number {
  if (body === null || typeof body !== 'object') return DEFAULT_RESERVED_TOKENS;
  const fields = body as Record<string, unknown>;
  const options = fields['options'];
  const candidates = [fields['max_completion_tokens'], fields['max_tokens'], fields['max_output_tokens'], options !== null && typeof options === 'object' ? (options as Record<string, unknown>)['num_predict'] : undefined];
  const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;
  const choices = isCount(fields['n']) ? fields['n'] : 1;
  return (candidates.find(isCount) ?? DEFAULT_RESERVED_TOKENS) * choices;
}
