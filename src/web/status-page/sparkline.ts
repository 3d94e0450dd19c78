import { svgElement } from './create-element.ts';

const WIDTH = 90;
const HEIGHT = 22;

/**
 * An inline SVG line of `values` (null = no data at that sample), scaled to its own maximum, with a
 * text alternative for screen readers: what it shows, the latest value and the peak.
 */
export function sparkline(values: Array<number | null>, label: string, format: (value: number) => string): SVGSVGElement {
  const known = values.filter((value): value is number => value !== null);
  const peak = Math.max(0, ...known);
  const latest = known.at(-1);
  const description = known.length === 0 ? `${label}: no data yet` : `${label}: now ${format(latest ?? 0)}, peak ${format(peak)}`;
  const svg = svgElement('svg', { class: 'sparkline', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img', 'aria-label': description }, svgElement('title', {}, description));
  if (values.length < 2) return svg;
  const step = WIDTH / (values.length - 1);
  const points = values.flatMap((value, index) => (value === null ? [] : [`${(index * step).toFixed(1)},${(HEIGHT - 1 - (peak === 0 ? 0 : (value / peak) * (HEIGHT - 2))).toFixed(1)}`]));
  svg.append(svgElement('polyline', { points: points.join(' '), fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }));
  return svg;
}
