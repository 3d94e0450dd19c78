/**
 * `system_fingerprint` of every response: constant, since Ollama exposes no backend fingerprint;
 * clients that log it can still tell responses of this gateway apart.
 */
export const SYSTEM_FINGERPRINT = 'fp_ollama';
