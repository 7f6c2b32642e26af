import { describe, expect, it } from 'vitest';
import { createEvents, EVENTS } from '../../../src/world/events.ts';
import { SCENE_OBJECTS } from '../../../src/world/types.ts';

// The paper's table (docs/paper.md section 1), transcribed independently of events.ts.
const PAPER = `media interview | interview, local media, studio, casual setup, conversation, crew, minimal distractions, well-lit, profession, professional
park jogging | park, jogging, exercising, relaxing, nature, trees, walking paths, serene, peaceful, outdoors
farm visit | farm, visit, green fields, farm animals, peaceful, natural, agriculture, learning, outdoors, relaxing
dinner with friends | dinner, friends, family, restaurant, cozy, informal, meal, unwinding, relaxed, evening
landmark visit | landmark, city, tourist, cultural, visit, weather, atmosphere, bustling, break, routine
zoo visit | zoo, animals, habitats, education, family-friendly, wildlife, exploring, local, learning, nature
shopping mall | shopping, mall, bustling, stores, shopping experience, brightly lit, people, relaxing, purchasing, atmosphere
public lecture | lecture, public, university, community center, formal, attendees, presentation, education, learning, professional
gym workout | gym, workout, exercises, fitness, spacious, equipment, energetic, environment, focus, physical
dance event | dance, event, club, music, socializing, vibrant, colorful, lights, festive, lively
coffee shop reading | coffee shop, reading, cozy, relaxed, ambient, quiet, laptop, break, friends, work
airport waiting | airport, waiting, travel, terminal, flight, runway, modern, organized, passengers, calm
concert attendance | concert, live music, crowd, lively, spirited, performance, audience, indoor, outdoor, energy
beach relaxing | beach, relaxing, seaside, waves, clear sky, peaceful, break, family, serene, outdoors
business meeting | business, meeting, conference room, professional, city view, windows, productive, discussion, corporate, formal
museum tour | museum, tour, historical, artistic, exhibits, spotlights, dim lighting, reflective, atmosphere, culture
car driving | car, driving, scenic, sunset, road, landscapes, city, countryside, picturesque, travel
grocery shopping | grocery, shopping, store, essentials, organized, bright lighting, efficient, comfortable, experience, shopping
marathon running | marathon, running, event, streets, cheering, crowds, clear weather, community, energy, fitness
art gallery visit | art gallery, visit, exhibits, artwork, soft lighting, calm, introspective, atmosphere, culture, reflection
family gathering | family, gathering, home, warmly lit, mementos, friendly, welcoming, atmosphere, comfort, together
bookstore browsing | bookstore, browsing, books, quaint, quiet, shelves, exploration, reading, leisure, relaxed
mountain cabin retreat | mountain, cabin, retreat, peaceful, trees, views, tranquil, refreshing, nature, serene
office working | office, working, desk, modern, conference room, windows, natural light, focused, quiet, productive
train commute | train, commute, busy, seated, standing, passengers, routine, travel, organized, routine
mountain hiking | mountain, hiking, trail, scenic, view, clear sky, peaceful, refreshing, nature, outdoors
school presentation | school, presentation, classroom, students, attentive, academic, learning, sharing knowledge, formal, education
restaurant dining | restaurant, dining, upscale, dim lighting, elegant, refined, intimate, ambiance, meal, gourmet
night sky stargazing | night sky, stargazing, outdoors, telescopes, quiet, clear view, stars, magical, peaceful, event
snowshoeing | snowshoeing, forest, snow, winter, trail, quiet, footsteps, peaceful, nature, serene
city bike ride | bike ride, city, streets, trails, urban, scenery, buildings, park, nature, dynamic
fashion show | fashion, show, runway, models, glamorous, spotlight, trends, observation, fashionable, elegant
fishing trip | fishing, trip, lake, serene, greenery, nature, outdoors, peaceful, relaxing, scenic
train station waiting | train station, waiting, platform, calm, passengers, quiet, departure, travel, routine, organized
charity event | charity, event, community, hall, guests, mingling, decorated, mood, warm, friendly
nature photography | photography, nature, forest, park, outdoors, quiet, scenic, capturing, beauty, peaceful
library studying | library, studying, bookshelves, quiet, focused, reading, learning, atmosphere, soft lighting, introspective
boat trip | boat trip, river, lake, relaxing, scenic, peaceful, water, landscape, clear sky, nature
biking trail | bike, trail, nature, trees, path, outdoors, scenic, sunlight, peaceful, refreshing
city walk | city walk, lively, shops, bustling, urban, dynamic, streets, people, downtown, exploring`
  .split('\n')
  .map((line) => {
    const [name, keywords] = line.split(' | ');
    return { name, keywords: keywords.split(', ') };
  });

const paletteDistance = (a: (typeof EVENTS)[number], b: (typeof EVENTS)[number]): number =>
  (['sky', 'horizon', 'ground', 'accent'] as const).reduce(
    (sum, part) => sum + a.palette[part].reduce((s, v, i) => s + Math.abs(v - b.palette[part][i]), 0),
    0,
  );

describe('EVENTS', () => {
  it('are exactly the paper\'s 40 events, names and keywords in order', () => {
    expect(EVENTS.length).toBe(40);
    expect(EVENTS.map((e) => ({ name: e.name, keywords: [...e.keywords] }))).toEqual(PAPER);
    expect(EVENTS.map((e) => e.id)).toEqual(EVENTS.map((_, i) => i));
  });

  it('have descriptions that mention every keyword', () => {
    for (const e of EVENTS) {
      for (const k of e.keywords) expect(e.description.toLowerCase(), `${e.name}: ${k}`).toContain(k);
    }
  });

  it('have 3-5 known iconic objects, optional props apart from them, valid palettes', () => {
    for (const e of EVENTS) {
      expect(e.iconic.length).toBeGreaterThanOrEqual(3);
      expect(e.iconic.length).toBeLessThanOrEqual(5);
      for (const k of [...e.iconic, ...e.optional]) expect(SCENE_OBJECTS).toHaveProperty(k);
      for (const k of e.optional) expect(e.iconic).not.toContain(k);
      for (const c of Object.values(e.palette)) for (const v of c) expect(v >= 0 && v <= 255).toBe(true);
    }
  });

  it('are pairwise distinguishable by iconic set, and by palette', () => {
    const sets = EVENTS.map((e) => [...e.iconic].sort().join(','));
    expect(new Set(sets).size).toBe(40);
    for (let i = 0; i < 40; i++) {
      for (let j = i + 1; j < 40; j++) {
        expect(paletteDistance(EVENTS[i], EVENTS[j]), `${EVENTS[i].name} / ${EVENTS[j].name}`).toBeGreaterThan(150);
      }
    }
  });

  it('keep the near-neighbour pairs similar: shared iconic objects', () => {
    const byName = (n: string) => EVENTS.find((e) => e.name === n)!;
    const shared = (a: string, b: string) => byName(a).iconic.filter((k) => byName(b).iconic.includes(k));
    expect(shared('train commute', 'train station waiting')).toContain('train');
    expect(shared('city bike ride', 'biking trail')).toContain('bicycle');
  });
});

describe('createEvents', () => {
  it('returns the first count events as copies, and rejects counts outside 1..40', () => {
    const five = createEvents(5);
    expect(five.map((e) => e.name)).toEqual(EVENTS.slice(0, 5).map((e) => e.name));
    (five[0].keywords as string[]).push('changed');
    expect(EVENTS[0].keywords.length).toBe(10);
    expect(() => createEvents(0)).toThrow(/1 to 40/);
    expect(() => createEvents(41)).toThrow(/1 to 40/);
  });
});
