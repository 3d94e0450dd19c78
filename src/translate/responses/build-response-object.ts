/** The `response` object around a set of output items: the request's settings echoed, as OpenAI does. */
import type { OutputItem, ResponseObject, ResponsesUsage } from '../../openai/responses-object.ts';
import type { ResponsesRequest } from '../../openai/responses-request.ts';

export interface ResponseIdentity {
  /** `resp_…`, made once per client request. */
  id: string;
  /** Unix seconds, from the injected clock; one value for the whole stream. */
  createdAt: number;
  /** The model name as the client sent it. */
  model: string;
}

export interface ResponseState {
  status: ResponseObject['status'];
  output: OutputItem[];
  usage: ResponsesUsage | null;
  completedAt: number | null;
  error?: ResponseObject['error'];
}

export function buildResponseObject(request: ResponsesRequest, identity: ResponseIdentity, state: ResponseState): ResponseObject {
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: state.status,
    completed_at: state.completedAt,
    error: state.error ?? null,
    incomplete_details: state.status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: identity.model,
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    store: request.store !== false,
    temperature: request.temperature ?? null,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: (request.tools ?? []).map((tool) => ({
      type: 'function' as const,
      name: tool.name ?? '',
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: request.top_p ?? null,
    truncation: request.truncation ?? 'disabled',
    usage: state.usage,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

/** Ollama's counts → Responses usage; Ollama reports neither cached nor reasoning tokens apart. */
export function toResponsesUsage(counts: { prompt_eval_count?: number | undefined; eval_count?: number | undefined }): ResponsesUsage {
  const input = counts.prompt_eval_count ?? 0;
  const output = counts.eval_count ?? 0;
  return { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output };
}
