// The ramp chart as a hand-written SVG: throughput per second on top (offered, accepted,
// completed), p99 latencies below on a log scale (POST takes milliseconds, a saga under
// backlog takes seconds). No plotting dependency: a few polylines and ticks.
import type { Bucket } from './stats';

const WIDTH = 960;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 64, right: 200, top: 40, gap: 50, bottom: 40 };
const HEIGHT = MARGIN.top + 2 * PANEL_HEIGHT + MARGIN.gap + MARGIN.bottom;
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;

interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  values: number[];
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** Polylines through the finite points; a missing value (NaN, or <= 0 on a log axis) breaks the line. */
function polylines(xs: number[], ys: (number | undefined)[], color: string, dashed: boolean): string {
  const segments: string[][] = [[]];
  xs.forEach((x, i) => {
    const y = ys[i];
    if (y === undefined || !Number.isFinite(y)) {
      if (segments.at(-1)!.length > 0) segments.push([]);
      return;
    }
    segments.at(-1)!.push(`${fmt(x)},${fmt(y)}`);
  });
  return segments
    .filter((s) => s.length > 0)
    .map((s) =>
      s.length === 1
        ? `<circle cx="${s[0]!.split(',')[0]}" cy="${s[0]!.split(',')[1]}" r="2" fill="${color}"/>`
        : `<polyline fill="none" stroke="${color}" stroke-width="1.8"${dashed ? ' stroke-dasharray="5 4"' : ''} points="${s.join(' ')}"/>`,
    )
    .join('\n');
}

function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= max) ?? 10;
  return step * magnitude;
}

function legend(series: Series[], top: number): string {
  return series
    .map((s, i) => {
      const y = top + 16 + i * 18;
      const x = WIDTH - MARGIN.right + 14;
      return `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>
<text x="${x + 28}" y="${y + 4}">${escapeXml(s.label)}</text>`;
    })
    .join('\n');
}

function panel(opts: {
  top: number;
  title: string;
  unit: string;
  series: Series[];
  xs: number[];
  log: boolean;
}): string {
  const { top } = opts;
  const bottom = top + PANEL_HEIGHT;
  const all = opts.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!opts.log || v > 0));
  const max = niceMax(Math.max(0, ...all));
  const minLog = 0; // 1 ms
  const maxLog = Math.max(1, Math.ceil(Math.log10(Math.max(10, ...all))));
  const y = (v: number) =>
    opts.log
      ? v > 0
        ? bottom - ((Math.log10(v) - minLog) / (maxLog - minLog)) * PANEL_HEIGHT
        : Number.NaN
      : bottom - (v / max) * PANEL_HEIGHT;
  const ticks = opts.log
    ? Array.from({ length: maxLog - minLog + 1 }, (_, i) => 10 ** (minLog + i))
    : Array.from({ length: 5 }, (_, i) => (max * i) / 4);
  const grid = ticks
    .map((t) => {
      const ty = fmt(y(t));
      return `<line x1="${MARGIN.left}" y1="${ty}" x2="${MARGIN.left + PLOT_WIDTH}" y2="${ty}" stroke="#e5e5e5"/>
<text x="${MARGIN.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`;
    })
    .join('\n');
  const lines = opts.series
    .map((s) =>
      polylines(
        opts.xs,
        s.values.map((v) => (Number.isFinite(v) ? y(v) : undefined)),
        s.color,
        s.dashed ?? false,
      ),
    )
    .join('\n');
  return `<g>
<text x="${MARGIN.left}" y="${top - 10}" font-weight="bold">${escapeXml(`${opts.title} (${opts.unit})`)}</text>
${grid}
<rect x="${MARGIN.left}" y="${top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>
${lines}
${legend(opts.series, top)}
</g>`;
}

/** The whole chart: throughput and p99 per second of the run. */
export function rampChartSvg(buckets: Bucket[], title: string): string {
  const span = Math.max(1, buckets.length);
  const xs = buckets.map((b) => MARGIN.left + ((b.t + 0.5) / span) * PLOT_WIDTH);
  const throughput = panel({
    top: MARGIN.top,
    title: 'throughput',
    unit: 'per second',
    xs,
    log: false,
    series: [
      { label: 'offered rate', color: '#999999', dashed: true, values: buckets.map((b) => b.offered) },
      { label: 'orders accepted/s', color: '#1f77b4', values: buckets.map((b) => b.accepted) },
      { label: 'sagas completed/s', color: '#2ca02c', values: buckets.map((b) => b.completed) },
    ],
  });
  const latencyTop = MARGIN.top + PANEL_HEIGHT + MARGIN.gap;
  const latency = panel({
    top: latencyTop,
    title: 'p99 latency',
    unit: 'ms, log scale',
    xs,
    log: true,
    series: [
      { label: 'POST /v1/orders p99', color: '#ff7f0e', values: buckets.map((b) => b.placeP99Ms) },
      { label: 'place→COMPLETED p99', color: '#d62728', values: buckets.map((b) => b.completionP99Ms) },
    ],
  });
  const axisY = latencyTop + PANEL_HEIGHT;
  const step = Math.max(1, Math.ceil(span / 10 / 5) * 5);
  const xTicks = Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step)
    .map((t) => {
      const x = fmt(MARGIN.left + (t / span) * PLOT_WIDTH);
      return `<text x="${x}" y="${axisY + 16}" text-anchor="middle">${t}</text>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
<title>${escapeXml(title)}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>
${throughput}
${latency}
${xTicks}
<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${axisY + 34}" text-anchor="middle">seconds since the first request</text>
</svg>
`;
}
