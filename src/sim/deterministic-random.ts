/** FNV-1a over the UTF-16 code units of `text`: a stable 32-bit seed for everything the simulator invents. */
export function hashText(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A seeded generator of floats in [0, 1) (mulberry32): same seed, same sequence. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` lowercase hex characters derived from `text`. */
export function hexFromText(text: string, length: number): string {
  let hex = '';
  let round = 0;
  while (hex.length < length) {
    hex += hashText(`${round}:${text}`).toString(16).padStart(8, '0');
    round++;
  }
  return hex.slice(0, length);
}
