/** `200` → `2xx`: a bounded label that lets latency percentiles leave out rejections and failures. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
