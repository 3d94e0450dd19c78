import { createRandom, hashText } from './deterministic-random.ts';

/** A deterministic, L2-normalised float32 vector for `text`: the same text always gives the same vector. */
export function embedText(text: string, dimension: number): number[] {
  const random = createRandom(hashText(text));
  return normalize(Array.from({ length: dimension }, () => random() * 2 - 1));
}

/** Keeps the first `dimensions` values and re-normalises, as Ollama does for `dimensions` below the model's size. */
export function truncateEmbedding(vector: readonly number[], dimensions: number): number[] {
  return normalize(vector.slice(0, dimensions));
}

function normalize(vector: number[]): number[] {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  const norm = Math.sqrt(sumOfSquares) || 1;
  // Ollama's embeddings are float32; rounding through Math.fround keeps the JSON looking like them.
  return vector.map((value) => Math.fround(value / norm));
}
