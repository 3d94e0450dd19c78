import type { ServerResponse } from 'node:http';

/** A response being streamed, owning its backpressure and its end. */
export interface ResponsePipe {
  /** Writes a batch of frames in one `write`; false when the socket buffer is full (await `drained`). */
  write(frames: string | Uint8Array): boolean;
  /** After a `write` that returned false: resolves true on the next 'drain', false once the client is gone. */
  drained(): Promise<boolean>;
  /** True once the response closed or ended. */
  readonly closed: boolean;
  /** The last frames and the end of the response, in one write. */
  end(frames?: string | Uint8Array): void;
}

/**
 * The one bridge from a stream to Express's response: one 'close' and one 'drain' listener for the
 * stream's whole life (writers that meet backpressure share them), removed when the response closes.
 * Callers hand it whatever one upstream chunk produced as one batch, so frames made in one turn leave
 * in one syscall without waiting for a later one.
 */
export function pipeToResponse(res: ServerResponse): ResponsePipe {
  let closed = res.destroyed || res.writableEnded;
  let waiting: Promise<boolean> | undefined;
  let wake: ((open: boolean) => void) | undefined;
  const settle = (open: boolean): void => {
    const resolve = wake;
    waiting = undefined;
    wake = undefined;
    resolve?.(open);
  };
  const onDrain = (): void => settle(true);
  const onClose = (): void => {
    closed = true;
    res.off('drain', onDrain);
    res.off('close', onClose);
    settle(false);
  };
  if (!closed) {
    res.on('drain', onDrain);
    res.on('close', onClose);
  }
  return {
    write: (frames) => !closed && !res.writableEnded && res.write(frames),
    drained: () => {
      if (closed || res.writableEnded) return Promise.resolve(false);
      waiting ??= new Promise<boolean>((resolve) => {
        wake = resolve;
      });
      return waiting;
    },
    get closed() {
      return closed || res.writableEnded;
    },
    end: (frames) => {
      if (closed || res.writableEnded) return;
      if (frames === undefined || frames.length === 0) res.end();
      else res.end(frames);
    },
  };
}
