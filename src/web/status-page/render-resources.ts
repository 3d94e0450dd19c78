import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { element } from './create-element.ts';
import { formatBytes, formatMs } from './format-values.ts';

function entry(term: string, value: string): HTMLElement[] {
  return [element('dt', {}, term), element('dd', {}, value)];
}

/** The host's memory and CPU, then the gateway process's own memory and CPU. */
export function renderResources(event: StatusStreamEvent): HTMLElement {
  const resources = event.status.resources;
  const { host_memory: host, cgroup_memory: cgroup } = resources;
  const usedPercent = host.available_bytes === null ? null : Math.round((1 - host.available_bytes / host.total_bytes) * 100);
  const gateway = event.gateway;
  return element(
    'div',
    { class: 'resources' },
    element(
      'section',
      { 'aria-labelledby': 'host-heading' },
      element('h3', { id: 'host-heading' }, 'Host'),
      element(
        'dl',
        {},
        ...entry('Memory', `${formatBytes(host.available_bytes)} free of ${formatBytes(host.total_bytes)}${usedPercent === null ? '' : ` (${usedPercent} % used)`}`),
        ...(cgroup.limit_bytes === null && cgroup.usage_bytes === null ? [] : entry('Container memory', `${formatBytes(cgroup.usage_bytes)} of ${cgroup.limit_bytes === null ? 'no limit' : formatBytes(cgroup.limit_bytes)}`)),
        ...entry('CPUs', resources.cpu_quota === null ? String(resources.cpus) : `${resources.cpu_quota} (quota) of ${resources.cpus}`),
        ...entry('Load average', resources.load_average.join(' · ')),
        ...entry('Admission', resources.admission_paused ? `paused: ${resources.pause_reasons.join(', ')}` : 'open'),
      ),
    ),
    element(
      'section',
      { 'aria-labelledby': 'gateway-heading' },
      element('h3', { id: 'gateway-heading' }, 'Gateway'),
      element(
        'dl',
        {},
        ...entry('Memory (RSS)', formatBytes(gateway.rss_bytes)),
        ...entry('JS heap', formatBytes(gateway.heap_used_bytes)),
        ...entry('CPU', gateway.cpu_percent === null ? '–' : `${gateway.cpu_percent} % of a core`),
        ...entry('Event loop delay', `${formatMs(resources.event_loop_delay_ms.mean)} mean, ${formatMs(resources.event_loop_delay_ms.p99)} p99`),
        ...entry('In flight / queued', `${event.status.in_flight} / ${event.status.queued}`),
        ...entry('Redis', event.status.redis.configured ? (event.status.redis.connected === true ? 'connected' : 'not connected') : 'not used'),
      ),
    ),
  );
}
