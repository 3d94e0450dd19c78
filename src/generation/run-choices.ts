import type { GenerationContext } from './generation-context.ts';

/**
 * Runs `count` generations of one request at once; each takes its own slot only while it runs, so
 * `n` may exceed the model's concurrency. The first failure aborts the others (their slots come back)
 * and is raised, so the client sees its real status.
 */
export async function runChoices<T>(context: GenerationContext, count: number, run: (index: number) => Promise<T>): Promise<T[]> {
  if (count === 1) return [await run(0)];
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      run(index).catch((error: unknown) => {
        if (!context.abort.signal.aborted) context.abort.abort(error);
        throw error;
      }),
    ),
  );
}
