/**
 * Memory on a fresh process: a proxy that already served other scenarios keeps the heap they grew, so
 * its peak during a later scenario says little about that scenario. For the memory targets, each
 * proxied target gets a process of its own per memory scenario: started, left idle, measured once,
 * stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Scenario, TargetKind } from './benchmark-scenarios.ts';
import type { ServiceProcess } from './gateway-process.ts';
import { measureScenario, type BenchTopology } from './measure-scenario.ts';
import { readRssBytes } from './process-readings.ts';

/** Scenarios whose peak RSS is a target. */
export const memoryScenarioIds: readonly string[] = ['stream-c256', 'hold-1000'];

/** One fresh process's memory through one scenario. */
export interface FreshMemoryReading {
  scenarioId: string;
  target: TargetKind;
  idleRssBytes: number;
  peakRssBytes: number;
  failed: number;
}

export interface FreshMemoryPlan {
  scenarios: readonly Scenario[];
  targets: readonly TargetKind[];
  /** The topology of the main run; the fresh process replaces the proxy in it. */
  topology: BenchTopology;
  /** Starts a new process for a proxied target. */
  startProxy(target: TargetKind): Promise<ServiceProcess>;
  /** Applies the scenario's pacing to the simulator. */
  configureSimulator(scenario: Scenario): Promise<void>;
  idleSettleMs: number;
  log(line: string): void;
}

/** Runs every memory scenario once per proxied target, each on a fresh process. */
export async function measureFreshMemory(plan: FreshMemoryPlan): Promise<FreshMemoryReading[]> {
  const readings: FreshMemoryReading[] = [];
  const scenarios = plan.scenarios.filter((scenario) => memoryScenarioIds.includes(scenario.id));
  for (const scenario of scenarios) {
    await plan.configureSimulator(scenario);
    for (const target of plan.targets.filter((kind) => kind !== 'direct')) {
      const proxy = await plan.startProxy(target);
      try {
        await sleep(plan.idleSettleMs);
        const idleRssBytes = readRssBytes(proxy.pid);
        const topology: BenchTopology =
          target === 'bare-proxy'
            ? { ...plan.topology, bareProxyUrl: proxy.url, bareProxyPid: proxy.pid }
            : { ...plan.topology, gatewayUrl: proxy.url, gatewayPid: proxy.pid };
        const measurement = await measureScenario(topology, scenario, target, 0);
        const reading = { scenarioId: scenario.id, target, idleRssBytes, peakRssBytes: measurement.proxyPeakRssBytes, failed: measurement.summary.requests.failed };
        readings.push(reading);
        plan.log(`fresh ${target} through ${scenario.id}: idle ${formatMebibytes(idleRssBytes)}, peak ${formatMebibytes(reading.peakRssBytes)}`);
      } finally {
        await proxy.stop();
      }
    }
  }
  return readings;
}

function formatMebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
