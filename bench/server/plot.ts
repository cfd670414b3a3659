import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** One line of a chart: its name in the legend and its points (x, y). */
export interface Series {
  name: string;
  points: [number, number][];
}

/** A line chart: the bench draws latency against load with it. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const WIDTH = 800;
const HEIGHT = 480;
const MARGIN = { left: 70, right: 180, top: 40, bottom: 50 };
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df'];

/** The chart as a self-contained SVG document (axes with ticks, one polyline and legend entry per series). */
export function lineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(1, ...all.map(([x]) => x)));
  const yMax = niceMax(Math.max(1, ...all.map(([, y]) => y)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const ticks = (max: number) => Array.from({ length: 6 }, (_, i) => (max * i) / 5);
  const text = (x: number, y: number, body: string, extra = '') =>
    `<text x="${x}" y="${y}" ${extra}>${escapeXml(body)}</text>`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(
      WIDTH / 2 - MARGIN.right / 2,
      24,
      chart.title,
      'text-anchor="middle" font-size="15" font-weight="bold"',
    ),
    ...ticks(xMax).map(
      (x) =>
        `<line x1="${px(x)}" y1="${MARGIN.top}" x2="${px(x)}" y2="${MARGIN.top + plotH}" stroke="#eee"/>` +
        text(px(x), MARGIN.top + plotH + 16, format(x), 'text-anchor="middle"'),
    ),
    ...ticks(yMax).map(
      (y) =>
        `<line x1="${MARGIN.left}" y1="${py(y)}" x2="${MARGIN.left + plotW}" y2="${py(y)}" stroke="#eee"/>` +
        text(MARGIN.left - 6, py(y) + 4, format(y), 'text-anchor="end"'),
    ),
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    text(MARGIN.left + plotW / 2, HEIGHT - 10, chart.xLabel, 'text-anchor="middle"'),
    text(
      16,
      MARGIN.top + plotH / 2,
      chart.yLabel,
      `text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})"`,
    ),
    ...chart.series.map((s, i) => {
      const colour = COLOURS[i % COLOURS.length]!;
      const points = s.points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ');
      const dots = s.points
        .map(([x, y]) => `<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${colour}"/>`)
        .join('');
      const legendY = MARGIN.top + 10 + i * 20;
      return (
        `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}` +
        `<line x1="${WIDTH - MARGIN.right + 15}" y1="${legendY}" x2="${WIDTH - MARGIN.right + 35}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>` +
        text(WIDTH - MARGIN.right + 40, legendY + 4, s.name)
      );
    }),
    '</svg>',
  ];
  return parts.join('\n');
}

/**
 * Renders `svg` to a PNG at `out` with Debian's headless Chromium (installed for the browser tests), the one
 * rasteriser at hand that draws text; the bench writes the PNGs docs/benchmarks.md shows.
 */
export async function renderPng(svg: string, out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'docbridge-plot-'));
  try {
    const file = join(dir, 'chart.svg');
    writeFileSync(file, svg);
    await promisify(execFile)(
      process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--window-size=${WIDTH},${HEIGHT}`,
        `--screenshot=${out}`,
        `file://${file}`,
      ],
      { timeout: 60_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The next round number above `value` (1, 2, 5 times a power of ten), so ticks fall on readable values. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power) as number;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
