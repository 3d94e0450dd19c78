import { countWords } from '../compose-text.ts';
import { planAnswer, type AnswerPlan } from '../plan-answer.ts';

/** The OpenAI usage object of one answer. */
export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Plans an answer to `prompt` (deterministic, as in Ollama mode), cut at `max_tokens`. */
export function planOpenAiAnswer(prompt: string, maxTokens: number | undefined, tokensPerAnswer: number): AnswerPlan {
  return planAnswer({ prompt, tools: [], format: undefined, think: false, numPredict: maxTokens, tokensPerAnswer });
}

export function usageOf(promptText: string, plan: AnswerPlan): OpenAiUsage {
  const prompt = countWords(promptText);
  return { prompt_tokens: prompt, completion_tokens: plan.evalCount, total_tokens: prompt + plan.evalCount };
}
