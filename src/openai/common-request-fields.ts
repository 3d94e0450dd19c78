/** Request fields shared by chat completions and completions. */
import { z } from 'zod';

/** Up to four stop sequences; a non-string item is a 400 (Ollama's chat layer drops it silently). */
export const stopSchema = z.union([z.string(), z.array(z.string()).max(4)]);

/**
 * `temperature`, `top_p` and the penalties: any number, sent to Ollama as it is. OpenAI bounds them
 * (0–2, 0–1, ±2); Ollama's own layer forwards any value (`temperature: 3` included) and its samplers
 * give every value a meaning, so refusing them would turn away requests Ollama serves.
 */
export const samplingNumberSchema = z.number().nullish();

export const streamOptionsSchema = z.object({
  include_usage: z.boolean().nullish(),
  include_obfuscation: z.boolean().nullish(),
});

/** A Go duration as Ollama parses it ("10m", "1h30m", "-1m", "0"); a bare number string is an error there. */
const goDurationPattern = /^(0|[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/** Ollama's `keep_alive`: seconds (negative = forever) or a Go duration string. */
export const keepAliveSchema = z.union([
  z.number(),
  z.string().regex(goDurationPattern, { error: 'keep_alive must be a number of seconds or a duration such as "10m"' }),
]);
