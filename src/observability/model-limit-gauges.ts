import { Gauge, type Registry } from 'prom-client';
import type { SchedulerSnapshot } from '../scheduler/scheduler-types.ts';

/**
 * Each known model's configured limits, read from the scheduler at each scrape, so a dashboard can
 * show utilisation: `active_requests / model_max_concurrent`, `queued_requests / model_max_queue`.
 */
export function createModelLimitGauges(prefix: string, registers: Registry[], readSnapshot: () => SchedulerSnapshot | undefined): void {
  const limitGauge = (name: string, help: string, pick: (limits: SchedulerSnapshot['models'][string]['limits']) => number): void => {
    const gauge: Gauge<'model'> = new Gauge({
      name: prefix + name,
      help,
      labelNames: ['model'],
      registers,
      collect: () => {
        const snapshot = readSnapshot();
        if (snapshot === undefined) return;
        gauge.reset();
        for (const [model, reading] of Object.entries(snapshot.models)) gauge.set({ model }, pick(reading.limits));
      },
    });
  };
  limitGauge('model_max_concurrent', 'Requests the model may run at once (its configured maxConcurrent).', (limits) => limits.maxConcurrent);
  limitGauge('model_max_queue', 'Requests that may wait for a slot of the model (its configured maxQueue).', (limits) => limits.maxQueue);
}
