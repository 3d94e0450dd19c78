/**
 * Starts the compiled gateway (`dist/cli/main.js serve`) as a child process with limits out of the
 * way, and measures how long it takes from spawn to its first 200 on `/readyz`. `startService` does
 * the same for any loopback HTTP server (the bare reference proxy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pinnedCommand } from './cpu-pinning.ts';
import { createCpuClock } from './process-readings.ts';

/** A server process started by the benchmark. */
export interface ServiceProcess {
  pid: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Spawn to first 200 from its readiness path, in milliseconds. */
  startupMs: number;
  /** CPU time (user + system) the process spent until then: what a busy machine inflates least. */
  startupCpuMs: number;
  /** SIGTERM, then resolves when the process has exited (a CPU profile is written by then). */
  stop(): Promise<void>;
  /** Why the process ended by itself (exit code or signal, stderr's tail); undefined while it runs. */
  describeExit(): string | undefined;
}

export interface GatewayLaunch {
  /** Path of `dist/cli/main.js`. */
  entry: string;
  /** Directory for the config file. */
  workDirectory: string;
  upstreamUrl: string;
  /** Extra flags for node itself, e.g. `--cpu-prof`. */
  nodeArguments?: readonly string[];
  /** The CPUs it runs on (`taskset -c` list); any when absent. */
  cpus?: string;
}

const readyTimeoutMs = 20_000;
const readyPollMs = 2;
/** Variables `serve` reads that would override the benchmark's config file. */
const overridingVariables = ['PORT', 'HOST', 'OLLAMA_URL', 'REDIS_URL', 'API_KEYS', 'LOG_BODIES', 'METRICS_TOKEN', 'BODY_LIMIT_BYTES', 'LLM_SIDECAR_CONFIG'];

/** Spawns the gateway on a free port and resolves once `/readyz` answers 200. */
export async function startGateway(launch: GatewayLaunch): Promise<ServiceProcess> {
  const port = await findFreePort();
  const configFile = writeConfig(launch.workDirectory, port, launch.upstreamUrl);
  const nodeArguments = [...(launch.nodeArguments ?? []), launch.entry, 'serve', '--config', configFile];
  return startService({ nodeArguments, environment: gatewayEnvironment(), port, readyPath: '/readyz', ...(launch.cpus === undefined ? {} : { cpus: launch.cpus }) });
}

/** A node program that serves HTTP on 127.0.0.1:`port`. */
export interface ServiceLaunch {
  nodeArguments: string[];
  environment: NodeJS.ProcessEnv;
  port: number;
  /** Polled until it answers 200. */
  readyPath: string;
  /** The CPUs it runs on (`taskset -c` list); any when absent. */
  cpus?: string;
}

/** Spawns `node …nodeArguments` and resolves once `readyPath` answers 200. */
export async function startService(launch: ServiceLaunch): Promise<ServiceProcess> {
  const startedAt = performance.now();
  // taskset execs node, so the child's pid is node's and /proc readings of it stay right.
  const command = pinnedCommand({ file: process.execPath, args: launch.nodeArguments }, launch.cpus);
  const child = spawn(command.file, command.args, { env: launch.environment, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = keepTail(child);
  const url = `http://127.0.0.1:${launch.port}`;
  try {
    await waitUntilReady(`${url}${launch.readyPath}`, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${launch.nodeArguments.join(' ')} did not become ready: ${(error as Error).message}\n${stderr()}`);
  }
  const startupMs = performance.now() - startedAt;
  const startupCpuMs = createCpuClock().readCpuMilliseconds(child.pid as number);
  const describeExit = (): string | undefined =>
    child.exitCode === null && child.signalCode === null ? undefined : `exited with ${child.exitCode ?? child.signalCode}: ${stderr()}`;
  return { pid: child.pid as number, url, startupMs, startupCpuMs, stop: () => stopProcess(child), describeExit };
}

/** Limits out of the way: concurrency and queues above any scenario, no resource gate, quiet logs. */
function writeConfig(directory: string, port: number, upstreamUrl: string): string {
  const config = {
    listen: { host: '127.0.0.1', port },
    upstreams: [{ name: 'simulator', url: upstreamUrl }],
    defaults: { maxConcurrent: 100_000, maxQueue: 100_000 },
    maxTotalRequests: 1_000_000,
    resources: { enabled: false },
    logLevel: 'warn',
    drainTimeoutMs: 2_000,
  };
  const file = join(directory, `gateway-${port}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function gatewayEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const name of overridingVariables) delete environment[name];
  return environment;
}

async function waitUntilReady(readyUrl: string, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + readyTimeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    const response = await fetch(readyUrl).catch(() => null);
    await response?.body?.cancel();
    if (response?.status === 200) return;
    await sleep(readyPollMs);
  }
  throw new Error(`no 200 from ${readyUrl} within ${readyTimeoutMs} ms`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** The last few KiB of a child's stderr, for error messages. */
function keepTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    tail = (tail + text).slice(-4096);
  });
  return () => tail;
}

/** A port free right now on 127.0.0.1 (the gateway binds it a moment later). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}
