/**
 * Words the simulated answers are made of. A few are multi-byte in UTF-8 (2, 3 and 4 bytes) so that
 * clients meet characters split across network chunks.
 */
const vocabulary = [
  'the', 'model', 'answers', 'quietly', 'with', 'simulated', 'words', 'about', 'a', 'café', 'in', 'Zürich',
  'and', 'tea', 'from', '日本', 'while', 'naïve', 'robots', 'count', 'tokens', 'under', 'the', 'sky', 'of',
  '東京', 'every', 'line', 'is', 'deterministic', 'so', 'tests', 'stay', 'calm', '🙂', 'llamas', 'read',
  'streams', 'slowly', 'über', 'fast', 'servers',
] as const;

/** `count` words chosen by `random`, as tokens: the first bare, the rest with a leading space. */
export function composeTokens(random: () => number, count: number, firstWord?: string): string[] {
  const tokens: string[] = [];
  for (let index = 0; index < count; index++) {
    const word = index === 0 && firstWord !== undefined ? firstWord : pickWord(random);
    tokens.push(index === 0 ? capitalize(word) : ` ${word}`);
  }
  if (tokens.length > 0) tokens[tokens.length - 1] += '.';
  return tokens;
}

/** One vocabulary word chosen by `random`. */
export function pickWord(random: () => number): string {
  return vocabulary[Math.floor(random() * vocabulary.length)] ?? 'word';
}

/** Words split on whitespace: the simulator's token count for a prompt. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isSpace = code === 32 || code === 10 || code === 9 || code === 13;
    if (!isSpace && !inWord) count++;
    inWord = !isSpace;
  }
  return count;
}

/** Splits `text` into pieces of about `size` characters without breaking a surrogate pair. */
export function splitIntoPieces(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let index = 0; index < characters.length; index += size) pieces.push(characters.slice(index, index + size).join(''));
  return pieces;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
