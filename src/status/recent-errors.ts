import { RingBuffer } from './ring-buffer.ts';

/** One request the gateway answered with an error. */
export interface RecentError {
  at: string;
  status: number;
  code: string | null;
  message: string;
  model: string | null;
  route: string;
}

/** The last few errors the gateway answered with, newest first, for the status page. */
export class RecentErrors {
  readonly #errors: RingBuffer<RecentError>;

  constructor(capacity = 20) {
    this.#errors = new RingBuffer(capacity);
  }

  record(error: RecentError): void {
    this.#errors.push(error);
  }

  list(): RecentError[] {
    return this.#errors.toArray().reverse();
  }
}
