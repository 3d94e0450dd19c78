/** The floor on a host or a container with room to spare: enough for Node and a burst of bodies. */
const FLOOR_CAP_BYTES = 256 * 1024 ** 2;
/** Inside a memory limit the floor is this share of it, so a small container is not paused for good. */
const FLOOR_SHARE_OF_LIMIT = 0.1;

/**
 * Free memory admission keeps in reserve: the configured value, else 256 MiB, or 10 % of the cgroup's
 * memory limit when that is less (a 256 MiB container has about 170 MiB free with the gateway in it,
 * so a fixed 256 MiB floor would hold every request in the queue).
 */
export function resolveMinFreeMemoryBytes(configured: number | undefined, cgroupMemoryLimitBytes: number | null): number {
  if (configured !== undefined) return configured;
  return cgroupMemoryLimitBytes === null ? FLOOR_CAP_BYTES : Math.min(FLOOR_CAP_BYTES, Math.floor(cgroupMemoryLimitBytes * FLOOR_SHARE_OF_LIMIT));
}
