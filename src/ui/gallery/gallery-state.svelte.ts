// State of the world gallery: seed, which tab, what is selected, the filter text and whether images
// show what the model sees (64 px) or the display render. Lives in the URL hash so any view can be
// shared as a link; the world itself is derived from the seed, never stored.
import { createWorld } from '../../world/world.ts';
import type { World } from '../../world/types.ts';

export type GalleryView = 'persons' | 'events';

export class GalleryState {
  seed = $state(0);
  view = $state<GalleryView>('persons');
  person = $state<number | null>(null);
  event = $state<number | null>(null);
  query = $state('');
  modelView = $state(false);

  readonly worldResult = $derived.by((): { world: World; error: null } | { world: null; error: string } => {
    try {
      return { world: createWorld({ seed: this.seed }), error: null };
    } catch (error) {
      return { world: null, error: error instanceof Error ? error.message : String(error) };
    }
  });

  toHash(): string {
    const params = new URLSearchParams({ page: 'world', seed: String(this.seed), view: this.view });
    if (this.person !== null) params.set('person', String(this.person));
    if (this.event !== null) params.set('event', String(this.event));
    if (this.modelView) params.set('model', '1');
    return `#${params}`;
  }

  fromHash(hash: string): void {
    const params = new URLSearchParams(hash.replace(/^#/, ''));
    const seed = Number(params.get('seed') ?? 0);
    this.seed = Number.isInteger(seed) && seed >= 0 ? seed : 0;
    this.view = params.get('view') === 'events' ? 'events' : 'persons';
    this.person = parseIndex(params.get('person'));
    this.event = parseIndex(params.get('event'));
    this.modelView = params.get('model') === '1';
  }
}

function parseIndex(raw: string | null): number | null {
  if (raw === null) return null;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : null;
}
