import type { ServerResponse } from 'node:http';
import type { SimFault } from './sim-types.ts';
import { sendError } from './write-response.ts';

/** The text Ollama gives when a runner fails mid-generation. */
export const runnerErrorText = 'an error was encountered while running the model';

/**
 * Sends a single JSON object (a `stream: false` answer or an embedding) with a 200, or acts out the
 * response fault taken for the request: cut (half the body, then the socket goes), malformed (half the
 * body, ended cleanly), errorLine (a 500 with the runner error, as non-streamed Ollama does).
 */
export async function sendBodyWithFault(
  response: ServerResponse,
  body: string,
  fault: SimFault | undefined,
  destroySocket: () => void,
): Promise<'completed' | 'errorLine' | 'closed'> {
  if (fault?.kind === 'errorLine') {
    sendError(response, 500, runnerErrorText);
    return 'errorLine';
  }
  const half = body.slice(0, Math.floor(body.length / 2));
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  if (fault?.kind === 'cut') {
    await flushThenDestroy(response, half, destroySocket);
    return 'closed';
  }
  response.end(fault?.kind === 'malformed' ? half : body);
  return 'completed';
}

/** Sends headers and then nothing until the client gives up. */
export async function stallResponse(response: ServerResponse, contentType: string, signal: AbortSignal): Promise<'closed'> {
  response.writeHead(200, { 'content-type': contentType });
  response.flushHeaders();
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  return 'closed';
}

/** Lets `text` reach the kernel before the socket goes, so the client sees it and then the cut. */
export async function flushThenDestroy(response: ServerResponse, text: string, destroySocket: () => void): Promise<void> {
  if (text === '') response.flushHeaders();
  else await new Promise<void>((resolve) => {
    if (!response.write(text, () => resolve())) response.once('close', resolve);
  });
  destroySocket();
}
