/**
 * The step before translation: every http(s) image URL of a request is fetched and replaced by its
 * bytes, so the translators stay pure (they refuse any URL still there). One function per dialect;
 * all images of a request are fetched at once. A failure is a 400 naming the part's `param`.
 */
import type { MessagesRequest } from '../anthropic/messages-request.ts';
import { invalidRequest } from '../errors/gateway-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-completion-request.ts';
import type { ResponsesRequest } from '../openai/responses-request.ts';
import { fetchImage, ImageFetchError, type FetchedImage, type FetchImageOptions, type ImageFetchSettings } from './fetch-image.ts';

export type FetchImageForParam = (url: string, param: string) => Promise<FetchedImage>;

export function createImageFetcher(settings: ImageFetchSettings, options: FetchImageOptions = {}): FetchImageForParam {
  return async (url, param) => {
    try {
      return await fetchImage(url, settings, options);
    } catch (error) {
      if (error instanceof ImageFetchError) throw invalidRequest(`the image URL could not be used: ${error.message}`, param, 'invalid_image_url');
      throw error;
    }
  };
}

const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);
// Ollama sniffs the format from the bytes; a blank media type is what its own layer accepts for any image
const toDataUrl = (image: FetchedImage): string => `data:;base64,${image.base64}`;

export async function resolveChatImageUrls(request: ChatCompletionRequest, fetch: FetchImageForParam): Promise<ChatCompletionRequest> {
  // Text-only messages (most requests) have nothing to fetch: no copy.
  if (request.messages.every((message) => message.role !== 'user' || typeof message.content === 'string')) return request;
  const resolved = structuredClone(request);
  const jobs: Promise<void>[] = [];
  resolved.messages.forEach((message, messageIndex) => {
    if (message.role !== 'user' || typeof message.content === 'string') return;
    message.content.forEach((part, partIndex) => {
      if (part.type !== 'image_url') return;
      const url = typeof part.image_url === 'string' ? part.image_url : part.image_url.url;
      if (!isHttpUrl(url)) return;
      const param = `messages[${messageIndex}].content[${partIndex}].image_url`;
      jobs.push(fetch(url, param).then((image) => void (part.image_url = { url: toDataUrl(image) })));
    });
  });
  await Promise.all(jobs);
  return resolved;
}

export async function resolveResponsesImageUrls(request: ResponsesRequest, fetch: FetchImageForParam): Promise<ResponsesRequest> {
  const resolved = structuredClone(request);
  if (typeof resolved.input !== 'object') return resolved;
  const jobs: Promise<void>[] = [];
  resolved.input.forEach((item, itemIndex) => {
    const parts = item.type === 'message' ? item.content : item.type === 'function_call_output' ? item.output : undefined;
    if (typeof parts !== 'object') return;
    const field = item.type === 'message' ? 'content' : 'output';
    parts.forEach((part, partIndex) => {
      if (part.type !== 'input_image' || typeof part.image_url !== 'string' || !isHttpUrl(part.image_url)) return;
      jobs.push(fetch(part.image_url, `input[${itemIndex}].${field}[${partIndex}].image_url`).then((image) => void (part.image_url = toDataUrl(image))));
    });
  });
  await Promise.all(jobs);
  return resolved;
}

export async function resolveMessagesImageUrls<Request extends Pick<MessagesRequest, 'messages'>>(request: Request, fetch: FetchImageForParam): Promise<Request> {
  const resolved = structuredClone(request);
  const jobs: Promise<void>[] = [];
  type Block = Exclude<MessagesRequest['messages'][number]['content'], string>[number];
  const visit = (block: Block, param: string): void => {
    if (block.type === 'image' && block.source.type === 'url') {
      const source = block.source;
      jobs.push(
        fetch(source.url, `${param}.source.url`).then((image) => {
          block.source = { type: 'base64', media_type: toAnthropicMediaType(image.mediaType), data: image.base64 };
        }),
      );
    }
    if (block.type === 'tool_result' && typeof block.content === 'object') block.content.forEach((inner, index) => visit(inner, `${param}.content[${index}]`));
  };
  resolved.messages.forEach((message, messageIndex) => {
    if (typeof message.content !== 'string') message.content.forEach((block, blockIndex) => visit(block, `messages[${messageIndex}].content[${blockIndex}]`));
  });
  await Promise.all(jobs);
  return resolved;
}

const anthropicMediaTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/** The schema wants one of Anthropic's four; the value is not sent to Ollama, which reads the bytes. */
function toAnthropicMediaType(mediaType: string): (typeof anthropicMediaTypes)[number] {
  return anthropicMediaTypes.find((candidate) => candidate === mediaType) ?? 'image/png';
}
