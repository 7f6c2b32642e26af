// Tests for the trade-off SVG: well-formed XML (checked by a real parser that fails on any warning),
// one path per line and band, legend, escaping, marker placement on the documented scale, determinism
// and empty or NaN input. Not here: how the plot looks (a person's eye, in the docs' sample figure).
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, plotArea, tradeOffSvg, wrapWords, type TradeOffPlot } from '../../../src/eval/trade-off-svg.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

function parse(svg: string): Document {
  const parser = new DOMParser({ onError: (level, msg) => { throw new Error(`${level}: ${msg}`); } });
  return parser.parseFromString(svg, 'image/svg+xml');
}
const byClass = (doc: Document, cls: string): Element[] =>
  Array.from(doc.getElementsByTagName('*')).filter((e) => (e.getAttribute('class') ?? '').split(' ').includes(cls));
const translateOf = (e: Element): [number, number] => {
  const m = /^translate\(([-\d.]+),([-\d.]+)\)$/.exec(e.getAttribute('transform') ?? '');
  if (!m) throw new Error(`no translate on ${e.toString()}`);
  return [Number(m[1]), Number(m[2])];
};

const plot: TradeOffPlot = {
  title: 'Person unlearning: forgetting vs what is kept',
  xLabel: 'Efficacy (% of forget answers gone)',
  yLabel: 'Retain (% of other persons still known)',
  lines: [
    { label: 'NPO', points: [{ x: 10, y: 95, yLow: 92, yHigh: 98, step: 0 }, { x: 60, y: 85, yLow: 80, yHigh: 90, step: 20 }, { x: 93, y: 71, yLow: 64, yHigh: 78, step: 40 }] },
    { label: 'GA', points: [{ x: 12, y: 94, step: 0 }, { x: 99, y: 20, step: 40 }] },
    { label: 'GD', points: [{ x: 20, y: 90, yLow: 85, yHigh: 95, step: 0 }, { x: 80, y: 75, yLow: 70, yHigh: 80, step: 40 }] },
  ],
  goal: { x: 98, y: 96 },
  xReference: { x: 90, label: 'Efficacy 90' },
  note: 'n = 24 items per cell per point; bands: 95 % t-interval over 3 forget seeds',
};

describe('tradeOffSvg', () => {
  it('is a well-formed standalone, accessible SVG document', () => {
    const doc = parse(tradeOffSvg(plot));
    const root = doc.documentElement!;
    expect(root.namespaceURI).toBe(SVG_NS);
    expect(root.localName).toBe('svg');
    expect(root.getAttribute('width')).toBe('640');
    expect(root.getAttribute('height')).toBe('420');
    expect(root.getAttribute('viewBox')).toBe('0 0 640 420');
    expect(root.getAttribute('role')).toBe('img');
    const kids = Array.from(root.childNodes).filter((n) => n.nodeType === 1) as Element[];
    expect(kids[0].localName).toBe('title');
    expect(kids[0].textContent).toBe(plot.title);
    expect(kids[1].localName).toBe('desc');
    expect(kids[1].textContent).toContain('NPO: 3 points from Efficacy 10, Retain 95 to Efficacy 93, Retain 71');
    expect(kids[1].textContent).toContain('Goal at Efficacy 98, Retain 96');
  });

  it('draws one path per line, one band per line with intervals, a marker per point with a tooltip', () => {
    const doc = parse(tradeOffSvg(plot));
    expect(byClass(doc, 'line').map((e) => e.getAttribute('data-label'))).toEqual(['NPO', 'GA', 'GD']);
    expect(byClass(doc, 'band')).toHaveLength(2);
    const markers = byClass(doc, 'marker').filter((e) => e.parentNode && (e.parentNode as Element).getAttribute('class') !== 'goal');
    expect(markers).toHaveLength(7);
    const tips = markers.map((m) => m.getElementsByTagName('title')[0]?.textContent);
    expect(tips).toContain('NPO, step 40: Efficacy 93, Retain 71 [64-78]');
    expect(tips).toContain('GA, step 0: Efficacy 12, Retain 94');
    const lines = byClass(doc, 'line');
    expect(new Set(lines.map((l) => l.getAttribute('stroke'))).size).toBe(3);
    expect(new Set(lines.map((l) => l.getAttribute('stroke-dasharray') ?? 'solid')).size).toBe(3);
    expect(new Set(markers.slice(0, 3).concat(markers[3], markers[5]).map((m) => m.getAttribute('d'))).size).toBe(3);
    expect(byClass(doc, 'reference')).toHaveLength(1);
    expect(byClass(doc, 'note')[0].textContent).toBe(plot.note);
  });

  it('wraps a long note to the plot\'s width, every word kept in order, the last line where a short note sits', () => {
    const long = 'Points every 10 steps to the end of each run\'s path (the longest: step 210); n per point: forget 32, retain 32 items; bands: 95 % t-interval over 3 forget seeds.';
    const notes = byClass(parse(tradeOffSvg({ ...plot, note: long })), 'note');
    expect(notes.length).toBeGreaterThan(1);
    expect(notes.map((n) => n.textContent).join(' ')).toBe(long);
    for (const n of notes) expect(n.textContent!.length).toBeLessThanOrEqual(Math.floor((640 - 64 - 10) / 5.6));
    expect(notes.at(-1)!.getAttribute('y')).toBe(byClass(parse(tradeOffSvg(plot)), 'note')[0].getAttribute('y'));
    expect(wrapWords('a bb ccc', 4)).toEqual(['a bb', 'ccc']);
    expect(wrapWords('toolongword x', 4)).toEqual(['toolongword', 'x']);
  });

  it('lists every label in the legend, plus Goal, and marks a line without data', () => {
    const withEmpty: TradeOffPlot = { ...plot, lines: [...plot.lines, { label: 'KL', points: [{ x: NaN, y: 3 }] }] };
    const doc = parse(tradeOffSvg(withEmpty));
    const legend = byClass(doc, 'legend-entry').map((e) => e.getElementsByTagName('text')[0].textContent);
    expect(legend).toEqual(['NPO', 'GA', 'GD', 'KL (no data)', 'Goal']);
  });

  it('escapes &, <, > and quotes in every text', () => {
    const nasty = 'A<b> & "c" \'d\'';
    const svg = tradeOffSvg({
      ...plot, title: nasty, xLabel: nasty, yLabel: nasty, note: nasty,
      lines: [{ label: nasty, points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] }], goal: { x: 5, y: 6, label: nasty }, xReference: { x: 50, label: nasty },
    });
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('& ');
    const doc = parse(svg);
    expect(doc.getElementsByTagName('b')).toHaveLength(0);
    expect(byClass(doc, 'plot-title')[0].textContent).toBe(nasty);
    expect(byClass(doc, 'line')[0].getAttribute('data-label')).toBe(nasty);
    expect(byClass(doc, 'legend-entry').map((e) => e.getElementsByTagName('text')[0].textContent)).toEqual([nasty, nasty]);
  });

  it('puts (50, 50) in the middle of the documented plot area and clamps values outside 0-100', () => {
    const area = plotArea(DEFAULT_SIZE);
    expect(area).toEqual({ left: 64, right: 464, top: 44, bottom: 344 });
    const doc = parse(tradeOffSvg({ ...plot, lines: [{ label: 'M', points: [{ x: 50, y: 50 }, { x: 150, y: -20 }] }], goal: null }));
    const [middle, clamped] = byClass(doc, 'marker').map(translateOf);
    expect(middle).toEqual([(area.left + area.right) / 2, (area.top + area.bottom) / 2]);
    expect(middle).toEqual([264, 194]);
    expect(clamped).toEqual([area.right, area.bottom]);
    const small = { width: 500, height: 300 }, box = plotArea(small);
    const [m2] = byClass(parse(tradeOffSvg({ ...plot, lines: [{ label: 'M', points: [{ x: 50, y: 50 }] }] }, small)), 'marker').map(translateOf);
    expect(m2).toEqual([(box.left + box.right) / 2, (box.top + box.bottom) / 2]);
  });

  it('is deterministic and rounds coordinates to 0.1 px', () => {
    const odd: TradeOffPlot = { ...plot, lines: [{ label: 'X', points: [{ x: 33.3333, y: 66.6667, yLow: 60.123, yHigh: 70.987 }, { x: 71.111, y: 12.345, yLow: 10.01, yHigh: 15.55 }] }] };
    const svg = tradeOffSvg(odd);
    expect(tradeOffSvg(odd)).toBe(svg);
    expect(tradeOffSvg(plot)).toBe(tradeOffSvg(structuredClone(plot)));
    const numbers = svg.replace(/<title>[^<]*<\/title>|<desc>[^<]*<\/desc>|[\w-]*opacity="[^"]*"/g, '').match(/-?\d+\.\d+/g) ?? [];
    expect(numbers.filter((n) => n.split('.')[1].length > 1)).toEqual([]);
  });

  it('does not throw on empty plots, empty lines or NaN values', () => {
    const empties: TradeOffPlot[] = [
      { title: 't', xLabel: 'x', yLabel: 'y', lines: [] },
      { ...plot, lines: [{ label: 'E', points: [] }], goal: { x: NaN, y: 1 }, xReference: { x: NaN, label: 'r' } },
      { ...plot, lines: [{ label: 'N', points: [{ x: NaN, y: NaN, yLow: NaN, yHigh: NaN }, { x: 40, y: Infinity }, { x: 40, y: 40, yLow: 30, yHigh: 50 }] }] },
    ];
    for (const p of empties) expect(() => parse(tradeOffSvg(p))).not.toThrow();
    const nan = parse(tradeOffSvg(empties[2]));
    expect(byClass(nan, 'marker').filter((e) => (e.parentNode as Element).getAttribute('class') !== 'goal')).toHaveLength(1);
    expect(byClass(nan, 'band')).toHaveLength(1); // a single interval is drawn as an error bar
    expect(tradeOffSvg(empties[0])).not.toMatch(/NaN|Infinity/);
    expect(tradeOffSvg(empties[2])).not.toMatch(/NaN|Infinity/);
  });

  it('refuses a size too small for the margins, saying what to pass', () => {
    expect(() => tradeOffSvg(plot, { width: 100, height: 100 })).toThrow(/pass at least/);
  });
});
