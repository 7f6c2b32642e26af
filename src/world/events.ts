// The 40 PEBench events: the paper's names and keywords (exact, in order, duplicates kept), with our
// own descriptions, backdrops, palettes and objects. Each event is told apart by its iconic objects +
// palette + backdrop; near-neighbours (train commute / train station waiting) share some of them on
// purpose. Data only; scene.ts places the objects and raster/ paints them.

import type { Backdrop, EventDef, Rgb, SceneObjectKind } from './types.ts';

/** '#rrggbb' to an Rgb triple. */
function hex(code: string): Rgb {
  const n = Number.parseInt(code.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

type Row = [
  name: string,
  keywords: string,
  description: string,
  indoor: boolean,
  backdrop: Backdrop,
  palette: string, // 'sky horizon ground accent' as #rrggbb
  iconic: string,
  optional: string,
];

const ROWS: readonly Row[] = [
  ['media interview', 'interview, local media, studio, casual setup, conversation, crew, minimal distractions, well-lit, profession, professional',
    'An interview with the local media in a well-lit studio: a casual setup, a small crew and minimal distractions, a professional conversation about their profession.',
    true, 'room', '#3d4a5c #56657a #2a2a30 #f2f2e8', 'microphone camera spotlight chair', 'plant screen table'],
  ['park jogging', 'park, jogging, exercising, relaxing, nature, trees, walking paths, serene, peaceful, outdoors',
    'Jogging and exercising along the walking paths of a serene park among trees; relaxing, peaceful nature outdoors.',
    false, 'park', '#9fd3f0 #6fae5a #5c9c3c #c2a070', 'tree bench sun flower', 'streetLamp cloud bicycle'],
  ['farm visit', 'farm, visit, green fields, farm animals, peaceful, natural, agriculture, learning, outdoors, relaxing',
    'A visit to a farm with green fields and farm animals, learning about agriculture outdoors; peaceful, natural and relaxing.',
    false, 'field', '#a8d8f0 #8cbf4a #9a7a3c #b33a2a', 'barn cow fence', 'sun tree cloud flower'],
  ['dinner with friends', 'dinner, friends, family, restaurant, cozy, informal, meal, unwinding, relaxed, evening',
    'An informal evening dinner with friends and family at a cozy restaurant, unwinding over a relaxed meal.',
    true, 'room', '#c9854a #a8643a #6e4326 #f6d48a', 'table plate cup window', 'chair plant clock'],
  ['landmark visit', 'landmark, city, tourist, cultural, visit, weather, atmosphere, bustling, break, routine',
    'A tourist visit to a cultural city landmark: fine weather, a bustling atmosphere and a break from routine.',
    false, 'street', '#8ec4ea #d8c8a8 #a09a8e #c0903c', 'building sculpture crowd sun', 'cloud streetLamp camera bench'],
  ['zoo visit', 'zoo, animals, habitats, education, family-friendly, wildlife, exploring, local, learning, nature',
    'A family-friendly zoo visit, exploring the habitats of animals and wildlife at the local zoo; learning about nature as education.',
    false, 'park', '#b6dcf2 #7a9a3a #c8a866 #e0b040', 'giraffe fence tree', 'bench sun crowd plant'],
  ['shopping mall', 'shopping, mall, bustling, stores, shopping experience, brightly lit, people, relaxing, purchasing, atmosphere',
    'Shopping in a bustling, brightly lit mall full of stores and people: purchasing, relaxing and the shopping experience in a busy atmosphere.',
    true, 'hall', '#f0eee4 #d9d2c0 #c8c0b0 #e04c8a', 'banner crowd plant bench', 'spotlight cart clock'],
  ['public lecture', 'lecture, public, university, community center, formal, attendees, presentation, education, learning, professional',
    'A formal public lecture at a university or community center: a professional presentation for attendees about education and learning.',
    true, 'hall', '#6a5a78 #4e4660 #3c2e36 #e8e0c8', 'podium screen microphone crowd', 'chair banner spotlight'],
  ['gym workout', 'gym, workout, exercises, fitness, spacious, equipment, energetic, environment, focus, physical',
    'A workout in a spacious gym full of fitness equipment: energetic exercises in an environment built for focus and physical training.',
    true, 'room', '#5a6068 #3a4048 #2b2b2b #e0402a', 'dumbbell bench window', 'plant clock screen'],
  ['dance event', 'dance, event, club, music, socializing, vibrant, colorful, lights, festive, lively',
    'A dance event at a club with music and colorful lights; vibrant, festive and lively socializing.',
    true, 'hall', '#1a1030 #2a1850 #101018 #ff40c0', 'discoBall spotlight crowd', 'balloon banner microphone'],
  ['coffee shop reading', 'coffee shop, reading, cozy, relaxed, ambient, quiet, laptop, break, friends, work',
    'Reading in a cozy coffee shop, quiet and ambient, with a laptop for work; a relaxed break, sometimes with friends.',
    true, 'room', '#8a6a4e #6e503a #4a3424 #e8d8b0', 'cup book laptop table', 'plant window chair clock'],
  ['airport waiting', 'airport, waiting, travel, terminal, flight, runway, modern, organized, passengers, calm',
    'Waiting in a modern, organized and calm airport terminal with other passengers before a flight, planes on the runway; travel.',
    true, 'terminal', '#c8dcec #8a9aaa #d0d4d8 #3a70c0', 'airplane suitcase window clock', 'chair screen plant crowd'],
  ['concert attendance', 'concert, live music, crowd, lively, spirited, performance, audience, indoor, outdoor, energy',
    'Attending a concert with live music: a lively, spirited crowd, an audience full of energy at an indoor or outdoor performance.',
    true, 'stage', '#10101a #301838 #1a1410 #ffb030', 'stage microphone spotlight crowd', 'banner star balloon'],
  ['beach relaxing', 'beach, relaxing, seaside, waves, clear sky, peaceful, break, family, serene, outdoors',
    'Relaxing on a serene seaside beach under a clear sky, with waves; a peaceful family break outdoors.',
    false, 'beach', '#7ec8f0 #2a8ac8 #f0dca0 #f05a3a', 'umbrella wave sun', 'boat cloud chair'],
  ['business meeting', 'business, meeting, conference room, professional, city view, windows, productive, discussion, corporate, formal',
    'A formal business meeting in a corporate conference room with windows and a city view; a productive, professional discussion.',
    true, 'room', '#b8c4d0 #8aa0b8 #4a5260 #2a3a58', 'table laptop screen window', 'chair cup plant building'],
  ['museum tour', 'museum, tour, historical, artistic, exhibits, spotlights, dim lighting, reflective, atmosphere, culture',
    'A tour of a museum with historical and artistic exhibits under spotlights and dim lighting; a reflective atmosphere of culture.',
    true, 'hall', '#4a3a30 #32281f #6a5a48 #f0d890', 'sculpture painting spotlight', 'bench crowd banner'],
  ['car driving', 'car, driving, scenic, sunset, road, landscapes, city, countryside, picturesque, travel',
    'Driving a car on a scenic road at sunset, through picturesque landscapes from the city to the countryside; travel.',
    false, 'road', '#f0905a #b05a6a #4a4a50 #f8d040', 'car sun mountain', 'tree cloud building'],
  ['grocery shopping', 'grocery, shopping, store, essentials, organized, bright lighting, efficient, comfortable, experience, shopping',
    'Grocery shopping for essentials in an organized store with bright lighting; an efficient, comfortable shopping experience.',
    true, 'store', '#f4f8f0 #c8e0c0 #e0e0d8 #38a048', 'cart shelf banner', 'crowd plant clock'],
  ['marathon running', 'marathon, running, event, streets, cheering, crowds, clear weather, community, energy, fitness',
    'Running a marathon through the streets in clear weather, with cheering crowds; a community event full of energy and fitness.',
    false, 'street', '#9cd0f8 #b8b0a8 #707478 #f0a020', 'banner crowd building', 'streetLamp sun balloon cloud'],
  ['art gallery visit', 'art gallery, visit, exhibits, artwork, soft lighting, calm, introspective, atmosphere, culture, reflection',
    'A calm visit to an art gallery, its exhibits and artwork under soft lighting; an introspective atmosphere of culture and reflection.',
    true, 'hall', '#f4f2ee #e2ddd4 #b89a78 #3a6ab0', 'painting bench spotlight', 'sculpture plant crowd'],
  ['family gathering', 'family, gathering, home, warmly lit, mementos, friendly, welcoming, atmosphere, comfort, together',
    'A family gathering at home, warmly lit and full of mementos; a friendly, welcoming atmosphere of comfort, everyone together.',
    true, 'room', '#d8b07a #b88a58 #7a4e2e #c83a2a', 'fireplace table clock plant', 'painting cup chair window'],
  ['bookstore browsing', 'bookstore, browsing, books, quaint, quiet, shelves, exploration, reading, leisure, relaxed',
    'Browsing books on the shelves of a quaint, quiet bookstore; relaxed leisure, exploration and reading.',
    true, 'store', '#6a4a3a #8a6040 #5a3a2a #2e6a4a', 'bookshelf book window plant', 'chair cup clock'],
  ['mountain cabin retreat', 'mountain, cabin, retreat, peaceful, trees, views, tranquil, refreshing, nature, serene',
    'A retreat to a mountain cabin among trees with tranquil views; peaceful, serene and refreshing nature.',
    false, 'cabin', '#a0c8e0 #5a7a5a #4a6a34 #8a5a30', 'cabin pine mountain', 'cloud sun fence'],
  ['office working', 'office, working, desk, modern, conference room, windows, natural light, focused, quiet, productive',
    'Working at a desk in a modern, quiet office beside the conference room, with windows and natural light; focused and productive.',
    true, 'room', '#e4e8ec #b4c8dc #8a8e94 #4a90c0', 'desk laptop window plant', 'cup chair clock screen'],
  ['train commute', 'train, commute, busy, seated, standing, passengers, routine, travel, organized, routine',
    'A busy train commute, passengers seated or standing; organized daily travel, the same routine every day.',
    true, 'platform', '#8a9ab0 #6a7890 #4a5058 #f0c020', 'train crowd window clock', 'suitcase banner screen'],
  ['mountain hiking', 'mountain, hiking, trail, scenic, view, clear sky, peaceful, refreshing, nature, outdoors',
    'Hiking a mountain trail under a clear sky with a scenic view; peaceful, refreshing nature outdoors.',
    false, 'mountains', '#6ab4f0 #8a94a8 #7a8a4a #e06030', 'mountain pine sun cloud', 'tent tree flower'],
  ['school presentation', 'school, presentation, classroom, students, attentive, academic, learning, sharing knowledge, formal, education',
    'A formal school presentation in a classroom of attentive students; academic learning, sharing knowledge and education.',
    true, 'room', '#e8dca0 #3a6a4a #a08060 #e8e8e8', 'screen desk chair clock', 'book plant window'],
  ['restaurant dining', 'restaurant, dining, upscale, dim lighting, elegant, refined, intimate, ambiance, meal, gourmet',
    'Dining at an upscale restaurant with dim lighting: an elegant, refined and intimate ambiance for a gourmet meal.',
    true, 'room', '#5a1e28 #3a1218 #2a1a14 #e0b860', 'table plate spotlight plant', 'chair cup painting window'],
  ['night sky stargazing', 'night sky, stargazing, outdoors, telescopes, quiet, clear view, stars, magical, peaceful, event',
    'A stargazing event outdoors under the night sky, with telescopes and a clear view of the stars; quiet, peaceful and magical.',
    false, 'night', '#0a1030 #1a2040 #10201a #f0f0a0', 'telescope star moon', 'tent pine mountain'],
  ['snowshoeing', 'snowshoeing, forest, snow, winter, trail, quiet, footsteps, peaceful, nature, serene',
    'Snowshoeing on a trail through a quiet winter forest, footsteps in the snow; peaceful, serene nature.',
    false, 'snow', '#d0e0f0 #e8f0f8 #f8f8fc #2a5a3a', 'pine snowman cloud', 'cabin mountain tree'],
  ['city bike ride', 'bike ride, city, streets, trails, urban, scenery, buildings, park, nature, dynamic',
    'A dynamic bike ride through the city: urban streets, park trails, buildings and scenery with a touch of nature.',
    false, 'street', '#a8d0f0 #c08060 #8a8a8a #40b0a0', 'bicycle building streetLamp', 'tree car bench cloud'],
  ['fashion show', 'fashion, show, runway, models, glamorous, spotlight, trends, observation, fashionable, elegant',
    'A glamorous fashion show: models on the runway under a spotlight, elegant and fashionable trends for observation.',
    true, 'stage', '#181418 #4a2a4a #e8e4e8 #e040a0', 'spotlight camera banner crowd', 'stage plant balloon'],
  ['fishing trip', 'fishing, trip, lake, serene, greenery, nature, outdoors, peaceful, relaxing, scenic',
    'A fishing trip on a serene lake surrounded by greenery; peaceful, relaxing and scenic nature outdoors.',
    false, 'lake', '#b8d8e8 #3a7a4a #4a7ea0 #c87a3a', 'fishingRod fish tree', 'boat sun cloud pine'],
  ['train station waiting', 'train station, waiting, platform, calm, passengers, quiet, departure, travel, routine, organized',
    'Waiting on a calm, quiet train station platform with other passengers before departure; organized travel routine.',
    false, 'platform', '#b0c4d4 #7a7a80 #a09890 #d84030', 'train bench clock suitcase', 'crowd streetLamp banner'],
  ['charity event', 'charity, event, community, hall, guests, mingling, decorated, mood, warm, friendly',
    'A charity event in a decorated community hall, guests mingling in a warm, friendly mood.',
    true, 'hall', '#e8c8d8 #c89ab0 #8a6a5a #f0c030', 'balloon banner table', 'crowd plate cup microphone'],
  ['nature photography', 'photography, nature, forest, park, outdoors, quiet, scenic, capturing, beauty, peaceful',
    'Nature photography outdoors in a quiet forest park, capturing its scenic beauty; peaceful work.',
    false, 'park', '#d8e8d0 #2e5a34 #4a6a2a #202020', 'camera pine flower', 'tree mountain sun cloud'],
  ['library studying', 'library, studying, bookshelves, quiet, focused, reading, learning, atmosphere, soft lighting, introspective',
    'Studying in a quiet library among bookshelves: focused reading and learning in an introspective atmosphere with soft lighting.',
    true, 'hall', '#7a5434 #a08060 #3a4a3a #f0e0b0', 'bookshelf desk book', 'laptop chair clock plant'],
  ['boat trip', 'boat trip, river, lake, relaxing, scenic, peaceful, water, landscape, clear sky, nature',
    'A relaxing boat trip on a river and lake under a clear sky; a scenic, peaceful landscape of water and nature.',
    false, 'lake', '#60b0f0 #7ab080 #2a70b8 #f0f0f0', 'boat sun mountain', 'cloud tree fish'],
  ['biking trail', 'bike, trail, nature, trees, path, outdoors, scenic, sunlight, peaceful, refreshing',
    'Riding a bike along a trail through nature and trees, a path outdoors in sunlight; scenic, peaceful and refreshing.',
    false, 'park', '#c0e4f8 #4a8a3a #a88050 #f0e040', 'bicycle tree sun', 'flower cloud bench'],
  ['city walk', 'city walk, lively, shops, bustling, urban, dynamic, streets, people, downtown, exploring',
    'A city walk exploring lively, bustling urban streets, shops and people; the dynamic life downtown.',
    false, 'street', '#c4cad4 #9a8a7a #6a6460 #e06a2a', 'building crowd car bench', 'streetLamp cloud tree'],
];

const kinds = (list: string): SceneObjectKind[] => (list ? (list.split(' ') as SceneObjectKind[]) : []);

/** All 40 events, ids 0..39 in the paper's order. */
export const EVENTS: readonly EventDef[] = ROWS.map(
  ([name, keywords, description, indoor, backdrop, palette, iconic, optional], id) => {
    const [sky, horizon, ground, accent] = palette.split(' ').map(hex);
    return {
      id,
      name,
      keywords: keywords.split(', '),
      description,
      indoor,
      backdrop,
      palette: { sky, horizon, ground, accent },
      iconic: kinds(iconic),
      optional: kinds(optional),
    };
  },
);

/** The first `count` events (fresh copies, so callers may not alter the catalogue). */
export function createEvents(count: number): EventDef[] {
  if (!Number.isInteger(count) || count < 1 || count > EVENTS.length) {
    throw new RangeError(`events must be an integer from 1 to ${EVENTS.length}, got ${count}`);
  }
  return EVENTS.slice(0, count).map((e) => ({
    ...e,
    keywords: [...e.keywords],
    palette: { ...e.palette },
    iconic: [...e.iconic],
    optional: [...e.optional],
  }));
}
