import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

/** One request as the fake target saw it. */
export interface SeenRequest {
  index: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeTarget {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (request: SeenRequest, res: ServerResponse) => void;

/** Starts a loopback server on port 0 that records each request and answers with `handler`. */
export async function startFakeTarget(handler: FakeHandler): Promise<FakeTarget> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => void answer(req, res));
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const request: SeenRequest = {
      index: seen.length,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
    seen.push(request);
    handler(request, res);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An OpenAI chat stream: a role chunk, one chunk per word, a finish chunk, then usage if given. */
export function answerOpenAiStream(res: ServerResponse, words: string[], usageTokens: number | null): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: object, finish: string | null = null): object => ({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  res.write(`data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`);
  for (const word of words) res.write(`data: ${JSON.stringify(chunk({ content: word }))}\n\n`);
  res.write(`data: ${JSON.stringify(chunk({}, 'stop'))}\n\n`);
  if (usageTokens !== null) {
    const usage = { prompt_tokens: 3, completion_tokens: usageTokens, total_tokens: usageTokens + 3 };
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [], usage })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

/** A whole JSON answer. */
export function answerJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** An Ollama /api/chat NDJSON stream, each line written in two halves, ending with eval_count. */
export function answerOllamaStream(res: ServerResponse, words: string[], evalCount: number): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const lines = [
    ...words.map((word) => ({ model: 'm', message: { role: 'assistant', content: word }, done: false })),
    { model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: evalCount },
  ].map((line) => `${JSON.stringify(line)}\n`);
  for (const line of lines) {
    const middle = Math.floor(line.length / 2);
    res.write(line.slice(0, middle));
    res.write(line.slice(middle));
  }
  res.end();
}

/** A writable that keeps what was written, optionally posing as a terminal. */
export function captureOutput(isTTY = false): Writable & { isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}
