import type { ServerResponse } from 'node:http';
import { sendJson } from '../write-response.ts';

/** OpenAI's error body, as vLLM and llama.cpp's server send it. */
export function sendOpenAiError(response: ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null): void {
  sendJson(response, status, { error: { message, type, param, code } });
}

/** Starts an SSE stream with the headers OpenAI-compatible servers send. */
export function startEventStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

/** One SSE frame. */
export function encodeEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
