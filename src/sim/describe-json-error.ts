/**
 * Finds the first syntax error in `text` and words it as Go's `encoding/json` does
 * (`invalid character 'x' looking for beginning of value`, `unexpected EOF`, …), since that is what
 * Ollama answers with for a malformed body. Returns undefined when `text` is valid JSON.
 */
export function describeJsonError(text: string): string | undefined {
  const scanner = { text, index: 0 };
  try {
    skipWhitespace(scanner);
    scanValue(scanner);
    skipWhitespace(scanner);
    if (scanner.index < text.length) fail(scanner, 'after top-level value');
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.message;
    throw error;
  }
}

class JsonSyntaxError extends Error {}

interface Scanner {
  text: string;
  index: number;
}

function fail(scanner: Scanner, context: string): never {
  if (scanner.index >= scanner.text.length) throw new JsonSyntaxError('unexpected EOF');
  const character = scanner.text.charAt(scanner.index);
  const shown = character === '\n' ? '\\n' : character === "'" ? "\\'" : character;
  throw new JsonSyntaxError(`invalid character '${shown}' ${context}`);
}

function skipWhitespace(scanner: Scanner): void {
  while (/[ \t\r\n]/.test(scanner.text.charAt(scanner.index))) scanner.index++;
}

function scanValue(scanner: Scanner): void {
  const character = scanner.text.charAt(scanner.index);
  if (character === '{') return scanObject(scanner);
  if (character === '[') return scanArray(scanner);
  if (character === '"') return scanString(scanner);
  if (character === '-' || (character >= '0' && character <= '9')) return scanNumber(scanner);
  for (const literal of ['true', 'false', 'null']) {
    if (character !== literal[0]) continue;
    for (let offset = 1; offset < literal.length; offset++) {
      scanner.index++;
      if (scanner.text.charAt(scanner.index) !== literal[offset]) {
        fail(scanner, `in literal ${literal} (expecting '${literal[offset]}')`);
      }
    }
    scanner.index++;
    return;
  }
  fail(scanner, 'looking for beginning of value');
}

function scanObject(scanner: Scanner): void {
  scanner.index++;
  skipWhitespace(scanner);
  if (scanner.text.charAt(scanner.index) === '}') {
    scanner.index++;
    return;
  }
  for (;;) {
    skipWhitespace(scanner);
    if (scanner.text.charAt(scanner.index) !== '"') fail(scanner, 'looking for beginning of object key string');
    scanString(scanner);
    skipWhitespace(scanner);
    if (scanner.text.charAt(scanner.index) !== ':') fail(scanner, 'after object key');
    scanner.index++;
    skipWhitespace(scanner);
    scanValue(scanner);
    skipWhitespace(scanner);
    const next = scanner.text.charAt(scanner.index);
    scanner.index++;
    if (next === '}') return;
    if (next !== ',') {
      scanner.index--;
      fail(scanner, 'after object key:value pair');
    }
  }
}

function scanArray(scanner: Scanner): void {
  scanner.index++;
  skipWhitespace(scanner);
  if (scanner.text.charAt(scanner.index) === ']') {
    scanner.index++;
    return;
  }
  for (;;) {
    skipWhitespace(scanner);
    scanValue(scanner);
    skipWhitespace(scanner);
    const next = scanner.text.charAt(scanner.index);
    scanner.index++;
    if (next === ']') return;
    if (next !== ',') {
      scanner.index--;
      fail(scanner, 'after array element');
    }
  }
}

function scanString(scanner: Scanner): void {
  scanner.index++;
  while (scanner.index < scanner.text.length) {
    const character = scanner.text.charAt(scanner.index);
    if (character === '"') {
      scanner.index++;
      return;
    }
    if (character < ' ') fail(scanner, 'in string literal');
    if (character === '\\') {
      scanner.index++;
      if (!/["\\/bfnrtu]/.test(scanner.text.charAt(scanner.index))) fail(scanner, 'in string escape code');
    }
    scanner.index++;
  }
  fail(scanner, 'in string literal');
}

function scanNumber(scanner: Scanner): void {
  const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(scanner.text.slice(scanner.index));
  if (match === null) {
    scanner.index++;
    fail(scanner, 'in numeric literal');
  }
  scanner.index += match[0].length;
}
