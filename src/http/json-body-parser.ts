import express, { type RequestHandler } from 'express';

export interface JsonBodyParserOptions {
  /** Largest body in bytes (after decompression). */
  limitBytes: number;
  /** Deepest nesting of arrays and objects accepted; read per request, so a reload applies. */
  maxDepth: () => number;
}

/**
 * `express.json` for every content type (`curl -d` sends form encoding by default), refusing bodies
 * nested deeper than the limit before `JSON.parse` sees them: nothing downstream (validation,
 * `JSON.stringify` of what goes upstream) then has to recurse through thousands of levels.
 */
export function jsonBodyParser(options: JsonBodyParserOptions): RequestHandler {
  return express.json({
    limit: options.limitBytes,
    type: () => true,
    strict: false,
    verify: (_req, _res, body, encoding) => {
      const maxDepth = options.maxDepth();
      if (exceedsJsonDepth(asUtf8(body, encoding), maxDepth)) throw tooDeep(maxDepth);
    },
  });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`: one pass with a counter, no
 * recursion, brackets inside strings ignored. UTF-8 never uses these ASCII bytes inside a multi-byte
 * character, so scanning bytes is exact. Text that is not JSON is left for the parser to refuse.
 */
export function exceedsJsonDepth(text: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const byte = text[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

/** The body as UTF-8 bytes; the parser accepts only UTF-8, -16 and -32 charsets. */
function asUtf8(body: Buffer, encoding: string): Uint8Array {
  const charset = encoding.toLowerCase();
  if (charset === 'utf-8' || charset === 'utf8') return body;
  try {
    return Buffer.from(new TextDecoder(charset).decode(body), 'utf8');
  } catch {
    throw Object.assign(new Error(`unsupported charset "${encoding.toUpperCase()}"`), { status: 415, type: 'charset.unsupported' });
  }
}

function tooDeep(maxDepth: number): Error {
  // `type` and `status` as the body parser's own errors have them; the error middleware maps it.
  return Object.assign(new Error(`The request body nests arrays and objects deeper than ${maxDepth} levels.`), { status: 400, type: 'entity.too.deep' });
}
