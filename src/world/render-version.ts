// Which pictures this code draws. A model learns the renders it was trained on, so every model folder
// records the render version in its manifest (meta.renderVersion, stamped by model/export.ts) and a
// Finetune or Goal model trained on other renders is refused (unlearning/model-fit.ts): its numbers
// would be measured on pictures it never saw. RENDER_FINGERPRINT pins the pixels of a few renders;
// a unit test recomputes it, so a change to the rasteriser that moves any pixel of them fails until
// the version is bumped (and the shipped models are retrained on the new renders).
// Version history: 1, the first world (models before issue #4 v2); 2, bolder props and a larger person (PE-Tiny v2).
import type { ImageKey } from './types.ts';

export const RENDER_VERSION = 2;

/** Image keys whose 64 px renders the fingerprint covers: training and fresh variants, many persons and events. */
export const RENDER_PROBE_KEYS: readonly ImageKey[] = [
  { personId: 0, eventId: 0, variant: 0 }, { personId: 11, eventId: 27, variant: 1 }, { personId: 57, eventId: 3, variant: 0 },
  { personId: 104, eventId: 39, variant: 2 }, { personId: 199, eventId: 18, variant: 0 }, { personId: 150, eventId: 9, variant: 1 },
];

/** sha256 of the concatenated 64 px RGBA renders of RENDER_PROBE_KEYS in the default world, for RENDER_VERSION. */
export const RENDER_FINGERPRINT = 'a119d4f7ff32876e2fee9caaae20b4e75209bc3abdb9b676b68a43a280204a15';
