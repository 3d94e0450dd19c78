import type { Clock, Timer } from '../../src/scheduler/clock.ts';

interface FakeTimer {
  at: number;
  callback: () => void;
  cancelled: boolean;
}

/** A clock whose time moves only when the test calls `advance`; counts the timers it was asked for. */
export class FakeClock implements Clock {
  timersCreated = 0;
  #now = 0;
  #timers: FakeTimer[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const timer: FakeTimer = { at: this.#now + ms, callback, cancelled: false };
    this.timersCreated += 1;
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(timer: Timer): void {
    (timer as FakeTimer).cancelled = true;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => !timer.cancelled && timer.at <= target).sort((left, right) => left.at - right.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.#now = due.at;
      due.callback();
    }
    this.#now = target;
  }
}
