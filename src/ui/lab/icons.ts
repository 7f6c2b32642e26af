// Inline SVG icons of the playground controls (24 x 24 paths drawn in currentColor), so the buttons
// never depend on a font having a glyph (Debian's fonts draw the Unicode "next track" as an empty box).
// Not here: the buttons' text, which always goes with them (ControlsBar.svelte).

export interface Icon {
  /** Path data in a 0-24 box. */
  d: string;
  /** Filled shapes, or outlines drawn with a 2.2 px stroke. */
  style: 'fill' | 'stroke';
}

export const ICONS = {
  run: { d: 'M7 4.5v15l12.5-7.5z', style: 'fill' },
  pause: { d: 'M6.5 4.5h4v15h-4zM13.5 4.5h4v15h-4z', style: 'fill' },
  step: { d: 'M5 4.5v15l10-7.5zM16 4.5h3.5v15H16z', style: 'fill' },
  reset: { d: 'M4.5 12a7.5 7.5 0 1 0 2.2-5.3M4.5 4v4.5H9', style: 'stroke' },
} as const satisfies Record<string, Icon>;

export type IconName = keyof typeof ICONS;
