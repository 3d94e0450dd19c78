import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the scripted upstream received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedOllama {
  url: string;
  /** Every request after start-up, in arrival order. */
  requests: RecordedRequest[];
  /** The NDJSON lines the next generation answers with (default: two tokens and a done line). */
  script(lines: readonly object[]): void;
  close(): Promise<void>;
}

const completeAnswer = [
  { model: 'llama3.2:latest', message: { role: 'assistant', content: 'Hello' }, response: 'Hello', done: false },
  { model: 'llama3.2:latest', message: { role: 'assistant', content: ' there' }, response: ' there', done: false },
  { model: 'llama3.2:latest', message: { role: 'assistant', content: '' }, response: '', done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 },
];

/**
 * A loopback stand-in for Ollama that records every request's headers and answers generations with
 * scripted NDJSON lines (ended cleanly, whether or not they hold a `done` line), for what the
 * simulator cannot act out: a stream that ends early but cleanly, and what reaches the upstream.
 */
export async function startScriptedOllama(): Promise<ScriptedOllama> {
  const requests: RecordedRequest[] = [];
  let lines: readonly object[] = completeAnswer;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '';
      response.setHeader('content-type', 'application/json; charset=utf-8');
      if (url === '/api/version') return response.end(JSON.stringify({ version: '0.0.0-scripted' }));
      if (url === '/api/tags') return response.end(JSON.stringify({ models: [{ name: 'llama3.2:latest' }, { name: 'nomic-embed-text:latest' }] }));
      requests.push({ method: request.method ?? '', url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (url === '/api/embed') return response.end(JSON.stringify({ model: 'nomic-embed-text:latest', embeddings: [[0.1, 0.2]], prompt_eval_count: 1 }));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { stream?: boolean };
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      if (body.stream === false) return response.end(JSON.stringify(lines.at(-1)));
      response.end(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script(next) {
      lines = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The scripted answer without its final line: ends cleanly, but cut short. */
export const answerWithoutDone: readonly object[] = completeAnswer.slice(0, 2);
