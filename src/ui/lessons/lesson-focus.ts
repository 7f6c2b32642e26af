// Points a lesson step at its panel: finds the panel's element, marks it with the `lesson-focus`
// class (an outline drawn in app.css) and scrolls it into view; the returned function removes the
// mark. DOM only, no Svelte. Not here: which panel a step names (lessons.ts).
import type { LessonPanel } from './lessons.ts';

/** A selector per panel, then the ancestor to outline (the whole tile row rather than one tile). */
const TARGETS: Record<LessonPanel, { selector: string; closest?: string }> = {
  world: { selector: 'section[aria-labelledby="world-title"]' },
  method: { selector: 'section[aria-labelledby="method-title"]' },
  controls: { selector: '[data-testid="run-button"]', closest: '[role="group"]' },
  probe: { selector: 'section[aria-labelledby="model-title"]' },
  tiles: { selector: '[data-testid="metric-forget"]', closest: '.tiles' },
  curves: { selector: 'section[aria-labelledby="metrics-title"] figure.curves' },
  matrix: { selector: '[data-testid="interference-matrix"]' },
  report: { selector: '[data-testid="report-table"], [data-testid="evaluate-button"]' },
};

export function focusPanel(panel: LessonPanel, root: ParentNode = document): () => void {
  const { selector, closest } = TARGETS[panel];
  const found = root.querySelector<HTMLElement>(selector);
  const element = (closest ? found?.closest<HTMLElement>(closest) : null) ?? found;
  if (!element) return () => {};
  element.classList.add('lesson-focus');
  // Smooth scrolling would fight a projector's audience; 'nearest' moves the page only when needed.
  element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  return () => element.classList.remove('lesson-focus');
}
