// Trade-off plot of unlearning methods (e.g. Retain against Efficacy, one line per method over its
// checkpoints) as a standalone, accessible, deterministic SVG string. Pure: no DOM, no Node APIs, so the
// CLI and the browser share it; d3-scale maps values, d3-shape draws the path strings.
// Not here: computing the points or their intervals (stats.ts, pebench-report.ts), writing files.
import { scaleLinear } from 'd3-scale';
import { area, line, symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye } from 'd3-shape';

export interface TradeOffPoint { x: number; y: number; /** interval on y across seeds (95 %), drawn as a band along the line */ yLow?: number; yHigh?: number; step?: number }
export interface TradeOffLine { label: string; points: readonly TradeOffPoint[] }
export interface TradeOffPlot {
  title: string;
  xLabel: string;
  yLabel: string;
  lines: readonly TradeOffLine[];
  /** The Goal model (never trained on the targets) as a labelled point, when one exists. */
  goal?: { x: number; y: number; label?: string } | null;
  /** A vertical dashed reference line, e.g. the Efficacy at which Retain is compared (90). */
  xReference?: { x: number; label: string } | null;
  /** One line under the plot. */
  note?: string;
  /** Short axis names for tooltips and the description; default: the axis label up to " (". */
  xName?: string;
  yName?: string;
}
export interface PlotArea { left: number; right: number; top: number; bottom: number }

export const DEFAULT_SIZE = { width: 640, height: 420 } as const;
const MARGIN = { top: 44, right: 176, bottom: 76, left: 64 };
/** Okabe-Ito without black (kept for Goal); yellow last, as it is faint on white. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'];
const DASHES = ['', '7 4', '2 3', '9 3 2 3'];
const SHAPES = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond, symbolCross, symbolWye];
const TICKS = [0, 20, 40, 60, 80, 100];

/**
 * The plot area inside an SVG of this size: both axes run 0-100, x from `left` (0) to `right` (100),
 * y from `bottom` (0) up to `top` (100). At 640x420 that is x 64..464, y 344..44, so (50, 50) sits at
 * (264, 194).
 */
export function plotArea(size: { width: number; height: number } = DEFAULT_SIZE): PlotArea {
  return { left: MARGIN.left, right: size.width - MARGIN.right, top: MARGIN.top, bottom: size.height - MARGIN.bottom };
}

/** Text for XML content and attribute values; drops control characters XML 1.0 does not allow. */
export function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const px = (v: number) => String(Math.round(v * 10) / 10);
const num = (v: number) => String(Math.round(v * 10) / 10);
const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const shortName = (label: string) => label.split(' (')[0].trim() || label;
const hasInterval = (p: TradeOffPoint) => finite(p.x) && finite(p.yLow) && finite(p.yHigh);

/** Style of the i-th line: colour, dash and marker cycle with different periods, so pairs stay distinct. */
function lineStyle(i: number) {
  return { colour: COLOURS[i % COLOURS.length], dash: DASHES[i % DASHES.length], shape: SHAPES[i % SHAPES.length] };
}

function markerPath(shape: (typeof SHAPES)[number], size = 42): string {
  return symbol(shape, size).digits(1)() ?? '';
}

function tooltip(label: string, p: TradeOffPoint, xName: string, yName: string): string {
  const interval = hasInterval(p) ? ` [${num(p.yLow!)}-${num(p.yHigh!)}]` : '';
  return `${label}${finite(p.step) ? `, step ${p.step}` : ''}: ${xName} ${num(p.x)}, ${yName} ${num(p.y)}${interval}`;
}

function description(plot: TradeOffPlot, xName: string, yName: string): string {
  const at = (p: { x: number; y: number }) => `${xName} ${num(p.x)}, ${yName} ${num(p.y)}`;
  const lines = plot.lines.map((l) => {
    const pts = l.points.filter((p) => finite(p.x) && finite(p.y));
    if (pts.length === 0) return `${l.label}: no data`;
    return pts.length === 1 ? `${l.label}: 1 point at ${at(pts[0])}`
      : `${l.label}: ${pts.length} points from ${at(pts[0])} to ${at(pts[pts.length - 1])}`;
  });
  const goal = plot.goal && finite(plot.goal.x) && finite(plot.goal.y) ? ` ${plot.goal.label ?? 'Goal'} at ${at(plot.goal)}.` : '';
  const ref = plot.xReference && finite(plot.xReference.x) ? ` Reference line at ${xName} ${num(plot.xReference.x)} (${plot.xReference.label}).` : '';
  const list = lines.length > 0 ? `: ${lines.join('; ')}.` : '.';
  return `${yName} against ${xName}, both 0-100, for ${plot.lines.length} line${plot.lines.length === 1 ? '' : 's'}${list}${goal}${ref}`;
}

/** Greedy word wrap: lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Renders the plot as an SVG document string; same input, same string (coordinates rounded to 0.1 px). */
export function tradeOffSvg(plot: TradeOffPlot, size: { width: number; height: number } = DEFAULT_SIZE): string {
  if (!(size.width >= MARGIN.left + MARGIN.right + 40) || !(size.height >= MARGIN.top + MARGIN.bottom + 40)) {
    throw new Error(`tradeOffSvg: size ${size.width}x${size.height} is too small or not a number: pass at least `
      + `${MARGIN.left + MARGIN.right + 40}x${MARGIN.top + MARGIN.bottom + 40}, or omit it for ${DEFAULT_SIZE.width}x${DEFAULT_SIZE.height}`);
  }
  const box = plotArea(size);
  const sx = scaleLinear().domain([0, 100]).range([box.left, box.right]).clamp(true);
  const sy = scaleLinear().domain([0, 100]).range([box.bottom, box.top]).clamp(true);
  const xName = plot.xName ?? shortName(plot.xLabel);
  const yName = plot.yName ?? shortName(plot.yLabel);
  const out: string[] = [];
  const w = px(size.width), h = px(size.height);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12" fill="#222">`);
  out.push(`<title>${escapeXml(plot.title)}</title>`, `<desc>${escapeXml(description(plot, xName, yName))}</desc>`);
  out.push(`<rect width="${w}" height="${h}" fill="#fff"/>`);
  out.push(`<text class="plot-title" x="${px(size.width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(plot.title)}</text>`);

  // Grid, ticks and axes.
  out.push('<g class="grid" stroke="#e3e3e3" stroke-width="1">');
  for (const t of TICKS) out.push(`<line x1="${px(sx(t))}" x2="${px(sx(t))}" y1="${px(box.top)}" y2="${px(box.bottom)}"/>`, `<line x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(sy(t))}" y2="${px(sy(t))}"/>`);
  out.push('</g>', '<g class="ticks" font-size="11" fill="#444">');
  for (const t of TICKS) {
    out.push(`<text x="${px(sx(t))}" y="${px(box.bottom + 16)}" text-anchor="middle">${t}</text>`, `<text x="${px(box.left - 6)}" y="${px(sy(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  out.push('</g>', `<path class="axes" d="M${px(box.left)},${px(box.top)}V${px(box.bottom)}H${px(box.right)}" fill="none" stroke="#444" stroke-width="1"/>`);
  out.push(`<text class="x-label" x="${px((box.left + box.right) / 2)}" y="${px(box.bottom + 36)}" text-anchor="middle">${escapeXml(plot.xLabel)}</text>`);
  out.push(`<text class="y-label" transform="translate(${px(box.left - 42)},${px((box.top + box.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(plot.yLabel)}</text>`);

  // Reference line under the data.
  if (plot.xReference && finite(plot.xReference.x)) {
    const rx = px(sx(plot.xReference.x));
    out.push(`<g class="reference"><line x1="${rx}" x2="${rx}" y1="${px(box.top)}" y2="${px(box.bottom)}" stroke="#666" stroke-width="1" stroke-dasharray="4 3"/>`
      + `<text x="${rx}" y="${px(box.top - 5)}" text-anchor="middle" font-size="10" fill="#555">${escapeXml(plot.xReference.label)}</text></g>`);
  }

  // Bands first, then lines, then markers, so no band hides a marker.
  const bandPath = area<TradeOffPoint>().x((p) => sx(p.x)).y0((p) => sy(p.yLow!)).y1((p) => sy(p.yHigh!)).digits(1);
  const linePath = line<TradeOffPoint>().x((p) => sx(p.x)).y((p) => sy(p.y)).digits(1);
  const layers = { bands: [] as string[], lines: [] as string[], markers: [] as string[] };
  plot.lines.forEach((l, i) => {
    const style = lineStyle(i);
    const points = l.points.filter((p) => finite(p.x) && finite(p.y));
    const banded = l.points.filter(hasInterval);
    if (banded.length === 1) { // one interval: an error bar, as an area would have no width
      const p = banded[0];
      layers.bands.push(`<path class="band" d="M${px(sx(p.x))},${px(sy(p.yLow!))}V${px(sy(p.yHigh!))}" stroke="${style.colour}" stroke-opacity="0.5" stroke-width="3"/>`);
    } else if (banded.length > 1) {
      layers.bands.push(`<path class="band" d="${bandPath(banded)}" fill="${style.colour}" fill-opacity="0.15" stroke="none"/>`);
    }
    if (points.length === 0) return;
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    layers.lines.push(`<path class="line" data-label="${escapeXml(l.label)}" d="${linePath(points)}" fill="none" stroke="${style.colour}" stroke-width="2"${dash}/>`);
    const marker = markerPath(style.shape);
    for (const p of points) {
      layers.markers.push(`<path class="marker" transform="translate(${px(sx(p.x))},${px(sy(p.y))})" d="${marker}" fill="${style.colour}" stroke="#fff" stroke-width="0.8"><title>${escapeXml(tooltip(l.label, p, xName, yName))}</title></path>`);
    }
  });
  out.push(...layers.bands, ...layers.lines, ...layers.markers);

  const goal = plot.goal && finite(plot.goal.x) && finite(plot.goal.y) ? plot.goal : null;
  const goalLabel = plot.goal?.label ?? 'Goal';
  if (goal) {
    const gx = px(sx(goal.x)), gy = px(sy(goal.y));
    out.push(`<g class="goal"><path class="marker" transform="translate(${gx},${gy})" d="${markerPath(symbolStar, 90)}" fill="#000"><title>${escapeXml(`${goalLabel}: ${xName} ${num(goal.x)}, ${yName} ${num(goal.y)}`)}</title></path>`
      // Below the star near the top, where the reference line's label sits.
      + `<text x="${px(sx(goal.x) + (goal.x > 80 ? -9 : 9))}" y="${px(sy(goal.y) + (goal.y > 85 ? 16 : -8))}" text-anchor="${goal.x > 80 ? 'end' : 'start'}" font-size="11" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(goalLabel)}</text></g>`);
  }

  // Legend on the right: a line sample with its dash and marker, then the label.
  out.push(`<g class="legend" transform="translate(${px(box.right + 24)},${px(box.top + 4)})">`);
  plot.lines.forEach((l, i) => {
    const style = lineStyle(i), y = i * 20;
    const empty = !l.points.some((p) => finite(p.x) && finite(p.y));
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    out.push(`<g class="legend-entry"><line x1="0" x2="28" y1="${y}" y2="${y}" stroke="${style.colour}" stroke-width="2"${dash}/>`
      + `<path transform="translate(14,${y})" d="${markerPath(style.shape)}" fill="${style.colour}"/>`
      + `<text x="36" y="${y + 4}"${empty ? ' fill="#777"' : ''}>${escapeXml(empty ? `${l.label} (no data)` : l.label)}</text></g>`);
  });
  if (goal) {
    const y = plot.lines.length * 20;
    out.push(`<g class="legend-entry"><path transform="translate(14,${y})" d="${markerPath(symbolStar, 90)}" fill="#000"/><text x="36" y="${y + 4}">${escapeXml(goalLabel)}</text></g>`);
  }
  out.push('</g>');
  if (plot.note) {
    // Wrapped to the plot's width (about 5.6 px a character at 10 px), the last line 10 px above the bottom.
    const lines = wrapWords(plot.note, Math.max(20, Math.floor((size.width - box.left - 10) / 5.6)));
    lines.forEach((line, i) => out.push(`<text class="note" x="${px(box.left)}" y="${px(size.height - 10 - 13 * (lines.length - 1 - i))}" font-size="10" fill="#555">${escapeXml(line)}</text>`));
  }
  out.push('</svg>');
  return out.join('\n');
}
