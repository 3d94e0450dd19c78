/** An `image_url` content part → the bare base64 Ollama wants in `images[]`. */
import { invalidRequest } from '../errors/gateway-error.ts';

// Ollama accepts exactly these; anything else is `invalid image input`
const acceptedPrefixes = [
  'data:image/jpeg;base64,',
  'data:image/jpg;base64,',
  'data:image/png;base64,',
  'data:image/webp;base64,',
  'data:;base64,',
];

const standardBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for non-empty standard base64 with padding (line breaks allowed, as Go's decoder allows them). */
export function isStandardBase64(text: string): boolean {
  const compact = text.replace(/[\r\n]/g, '');
  return compact.length > 0 && standardBase64.test(compact);
}

/**
 * Returns the base64 payload of a data URL. The route fetches http(s) URLs before translation
 * (`src/images/`), so one still here means fetching is off: a 400. So are other media types and
 * payloads that are not standard base64.
 */
export function readImageDataUrl(url: string, param: string): string {
  if (/^https?:\/\//i.test(url)) {
    throw invalidRequest('image URLs are not fetched by this gateway (imageFetch.enabled is false): send base64 encoded data instead', param);
  }
  const prefix = acceptedPrefixes.find((candidate) => url.startsWith(candidate));
  const payload = prefix === undefined ? '' : url.slice(prefix.length);
  if (!isStandardBase64(payload)) {
    throw invalidRequest('invalid image input: send a data URL of a JPEG, PNG or WebP image in standard base64', param);
  }
  return payload.replace(/[\r\n]/g, '');
}
