// Which world image stands for a forget target in the lab (its thumbnail, the probe's first pick):
// a person in an event chosen from their id, an event with a person chosen from its id.
import type { ForgetConcept } from '../../world/splits.ts';

export function targetImage(concept: ForgetConcept, id: number, world: { persons: readonly unknown[]; events: readonly unknown[] }): { personId: number; eventId: number } {
  return concept === 'person' ? { personId: id, eventId: (id * 7) % world.events.length } : { personId: (id * 13) % world.persons.length, eventId: id };
}
