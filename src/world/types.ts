// The shared vocabulary of the fictitious world: appearance attributes, colours, scene objects, and
// the shapes of persons, events, scenes and the world itself. Data only; the generators live in
// persons.ts, events.ts, scene.ts, qa.ts and splits.ts, the pixels in raster/.

export type Rgb = readonly [number, number, number];

/** Named colours, used for hair, eyes, clothing and accessories; QA answers use these names. */
export const COLOURS = {
  black: [24, 24, 28],
  white: [240, 240, 236],
  grey: [128, 128, 134],
  red: [200, 40, 44],
  orange: [236, 132, 32],
  yellow: [240, 208, 48],
  green: [48, 148, 64],
  teal: [32, 150, 150],
  blue: [44, 88, 200],
  purple: [128, 60, 168],
  pink: [236, 120, 170],
  brown: [120, 74, 40],
  blonde: [226, 196, 120],
  auburn: [150, 60, 30],
  navy: [30, 40, 100],
  hazel: [140, 110, 50],
} as const satisfies Record<string, Rgb>;
export type ColourName = keyof typeof COLOURS;

/**
 * Appearance attributes and their values. A person's visual identity is one value per attribute;
 * identities are unique and differ from every other person in at least two attributes.
 * Values are chosen to be visible at the model's 64 px resolution (large colour areas first).
 */
export const APPEARANCE = {
  faceShape: ['round', 'oval', 'square', 'long'],
  skinTone: ['porcelain', 'fair', 'olive', 'tan', 'brown', 'deep'],
  hairStyle: ['bald', 'short', 'long', 'curly', 'bun', 'ponytail', 'spiky'],
  hairColour: ['black', 'brown', 'blonde', 'auburn', 'grey', 'white', 'blue', 'pink'],
  eyeColour: ['brown', 'blue', 'green', 'grey', 'hazel'],
  eyebrows: ['thin', 'thick', 'arched'],
  glasses: ['none', 'round', 'square', 'sunglasses'],
  facialHair: ['none', 'moustache', 'beard', 'goatee'],
  headwear: ['none', 'cap', 'beanie', 'fedora', 'headband', 'beret'],
  clothingColour: ['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'navy', 'purple', 'pink', 'white', 'black', 'grey'],
  clothingPattern: ['plain', 'striped', 'dotted', 'checked'],
  accessory: ['none', 'scarf', 'necklace', 'tie', 'badge', 'bag'],
} as const;
export type AppearanceKey = keyof typeof APPEARANCE;
export type Appearance = { [K in AppearanceKey]: (typeof APPEARANCE)[K][number] };

export const SKIN_RGB: Record<Appearance['skinTone'], Rgb> = {
  porcelain: [250, 224, 206],
  fair: [238, 200, 170],
  olive: [206, 166, 120],
  tan: [190, 140, 96],
  brown: [140, 94, 60],
  deep: [92, 58, 38],
};

/**
 * Objects a scene can contain. Each event has iconic ones; renders may add or drop props. The
 * rasteriser draws every kind; object-presence questions ask about them by `noun`.
 */
export const SCENE_OBJECTS = {
  sun: 'sun', moon: 'moon', star: 'star', cloud: 'cloud', tree: 'tree', pine: 'pine tree',
  flower: 'flower', mountain: 'mountain', wave: 'wave', umbrella: 'beach umbrella', boat: 'boat',
  fish: 'fish', fishingRod: 'fishing rod', car: 'car', bicycle: 'bicycle', train: 'train',
  airplane: 'airplane', building: 'building', streetLamp: 'street lamp', bench: 'bench',
  table: 'table', chair: 'chair', plate: 'plate', cup: 'cup', laptop: 'laptop', book: 'book',
  bookshelf: 'bookshelf', painting: 'painting', sculpture: 'sculpture', spotlight: 'spotlight',
  microphone: 'microphone', camera: 'camera', stage: 'stage', discoBall: 'disco ball',
  podium: 'podium', screen: 'screen', desk: 'desk', dumbbell: 'dumbbell', cart: 'shopping cart',
  shelf: 'store shelf', cow: 'cow', fence: 'fence', barn: 'barn', giraffe: 'giraffe',
  telescope: 'telescope', cabin: 'cabin', fireplace: 'fireplace', balloon: 'balloon',
  banner: 'banner', clock: 'clock', suitcase: 'suitcase', snowman: 'snowman', tent: 'tent',
  plant: 'potted plant', window: 'window', crowd: 'crowd',
} as const;
export type SceneObjectKind = keyof typeof SCENE_OBJECTS;

/** How the background is laid out; the rasteriser has one painter per backdrop. */
export type Backdrop =
  | 'field' | 'park' | 'beach' | 'lake' | 'mountains' | 'snow' | 'night' | 'street' | 'road'
  | 'room' | 'hall' | 'stage' | 'store' | 'platform' | 'terminal' | 'cabin';

export interface EventDef {
  id: number;
  /** e.g. "beach relaxing" (the paper's event name). */
  name: string;
  keywords: readonly string[];
  /** One or two sentences, written by us, built around the keywords. */
  description: string;
  indoor: boolean;
  backdrop: Backdrop;
  /** sky/wall, horizon/far wall, ground/floor, accent. */
  palette: { sky: Rgb; horizon: Rgb; ground: Rgb; accent: Rgb };
  /** Iconic objects, always drawn (3-5). */
  iconic: readonly SceneObjectKind[];
  /** Props that renders may add (often co-occurring, so good adversarial absent objects elsewhere). */
  optional: readonly SceneObjectKind[];
}

export const OCCUPATIONS = [
  'Science & Research', 'Healthcare & Medicine', 'Technology & Engineering',
  'Environmental & Agriculture', 'Arts & Creative Fields', 'Business & Finance',
  'Public Service & Community Support', 'Education & Culture', 'Media & Communications',
  'Architecture & Construction', 'Law & Policy', 'Retail & Services', 'Sports & Fitness',
  'Logistics & Transportation', 'Energy & Natural Resources', 'Unemployed', 'Students',
] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

export type Region =
  | 'North America' | 'South America' | 'Europe' | 'Africa' | 'Asia' | 'Australia & Oceania'
  | 'Middle East';

export interface City {
  name: string;
  country: string;
  region: Region;
}

export interface Person {
  id: number;
  givenName: string;
  familyName: string;
  /** "givenName familyName": unique in the world. */
  fullName: string;
  occupation: Occupation;
  /** A job title inside the occupation category, e.g. "marine biologist". */
  job: string;
  city: City;
  appearance: Appearance;
}

export interface WorldConfig {
  seed: number;
  persons: number;
  events: number;
  /** Extra fresh renders per person-event pair (never trained). */
  freshPerPair: number;
  /** Model input resolution in pixels (square). */
  modelSize: number;
  /** Display resolution in pixels (square). */
  displaySize: number;
}

export const DEFAULT_WORLD_CONFIG: WorldConfig = {
  seed: 0,
  persons: 200,
  events: 40,
  freshPerPair: 2,
  modelSize: 64,
  displaySize: 256,
};

export interface World {
  config: WorldConfig;
  persons: readonly Person[];
  events: readonly EventDef[];
}

/**
 * Which picture of a person-event pair: variant 0 is the training render; variants 1..freshPerPair
 * are fresh renders with new variation that no training run ever uses.
 */
export interface ImageKey {
  personId: number;
  eventId: number;
  variant: number;
}

/** A placed object in normalised image coordinates (0..1, y down); scale ~ height as image fraction. */
export interface PlacedObject {
  kind: SceneObjectKind;
  x: number;
  y: number;
  scale: number;
  flip: boolean;
}

/** The person's pose and framing; the person is large (about half the image height or more). */
export interface Pose {
  x: number;
  y: number;
  scale: number;
  lean: number;
  arms: 'down' | 'wave' | 'hips' | 'holding';
}

/** Everything needed to draw one image, at any resolution. Built by scene.ts, drawn by raster/. */
export interface SceneSpec {
  key: ImageKey;
  event: EventDef;
  appearance: Appearance;
  pose: Pose;
  /** Overall brightness multiplier (0.94..1.06) and a small colour-temperature shift (±0.03); kept narrow so palettes still tell events apart. */
  light: { gain: number; warmth: number };
  /** Small per-image shift of palette hues and backdrop geometry. */
  jitter: number;
  /** Objects behind and around the person (iconic + optional props), back to front. */
  objects: readonly PlacedObject[];
  /** Small background silhouettes (one body colour each), never identifiable as a world person. */
  bystanders: readonly { x: number; y: number; scale: number; colour: Rgb }[];
}
