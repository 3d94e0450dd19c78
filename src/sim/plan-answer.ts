import type { OllamaTool, OllamaToolCall } from '../ollama/wire.ts';
import { buildSchemaValue } from './build-schema-value.ts';
import { buildToolCall } from './build-tool-call.ts';
import { composeTokens, splitIntoPieces } from './compose-text.ts';
import { createRandom, hashText } from './deterministic-random.ts';

/** What a simulated model is asked: the parts of a chat or generate request that shape the answer. */
export interface AnswerRequest {
  /** The text the answer derives from: the last user message, or the generate prompt. */
  prompt: string;
  /** Set when the last chat message is a tool result: its content. */
  toolResult?: string;
  tools: readonly OllamaTool[];
  format: unknown;
  think: boolean;
  /** `options.num_predict`; negative or absent = no limit. */
  numPredict: number | undefined;
  tokensPerAnswer: number;
}

/** The answer, as the tokens each NDJSON line will carry. */
export interface AnswerPlan {
  thinking: string[];
  content: string[];
  toolCalls: OllamaToolCall[];
  doneReason: 'stop' | 'length';
  /** Tokens generated: thinking + content + one per tool call. */
  evalCount: number;
}

const jsonPieceLength = 6;

/** Decides the whole answer up front; the same request always gets the same plan. */
export function planAnswer(request: AnswerRequest): AnswerPlan {
  const random = createRandom(hashText(request.prompt));
  const thinking = request.think ? composeTokens(random, Math.max(3, Math.round(request.tokensPerAnswer / 2)), 'let') : [];
  const toolCall = request.toolResult === undefined ? buildToolCall(request.tools, request.prompt) : undefined;
  const toolCalls = toolCall === undefined ? [] : [toolCall];
  const content = toolCall === undefined ? planContent(request, random) : [];
  return limitTokens({ thinking, content, toolCalls, doneReason: 'stop', evalCount: 0 }, request.numPredict);
}

function planContent(request: AnswerRequest, random: () => number): string[] {
  if (request.toolResult !== undefined) {
    const resultWords = request.toolResult.split(/\s+/).filter(Boolean).slice(0, Math.max(1, request.tokensPerAnswer - 3));
    return ['The', ' tool', ' returned:', ...resultWords.map((word) => ` ${word}`)];
  }
  if (request.format === 'json') {
    const answer = composeTokens(random, Math.max(1, request.tokensPerAnswer - 4)).join('');
    return splitIntoPieces(JSON.stringify({ answer, confidence: Math.round(random() * 100) / 100 }), jsonPieceLength);
  }
  if (typeof request.format === 'object' && request.format !== null) {
    return splitIntoPieces(JSON.stringify(buildSchemaValue(request.format, random)), jsonPieceLength);
  }
  return composeTokens(random, request.tokensPerAnswer);
}

/** Applies `num_predict`: thinking tokens count first, as they are generated first. */
function limitTokens(plan: AnswerPlan, numPredict: number | undefined): AnswerPlan {
  const total = plan.thinking.length + plan.content.length + plan.toolCalls.length;
  if (numPredict === undefined || numPredict < 0 || total <= numPredict) return { ...plan, evalCount: total };
  const thinking = plan.thinking.slice(0, numPredict);
  const content = plan.content.slice(0, numPredict - thinking.length);
  const toolCalls = plan.toolCalls.slice(0, Math.max(0, numPredict - thinking.length - content.length));
  return { thinking, content, toolCalls, doneReason: 'length', evalCount: numPredict };
}

/** `options.num_predict` when it is a number; Ollama's default -1 means no limit. */
export function readNumPredict(options: Record<string, unknown> | undefined): number | undefined {
  const value = options?.['num_predict'];
  return typeof value === 'number' ? value : undefined;
}
