// The methods the lab offers, in the cards' table order, each with its loss: what the driver runs.
// The CLI's flags, the lab's Method panel and the URL hash are generated from the cards (cards.ts),
// which the page reads without this module. Not here: method maths (one file per method) or running them (driver.ts).
import { METHOD_CARDS, MethodError, METHOD_IDS } from './cards.ts';
import { DPO } from './dpo.ts';
import { GA } from './ga.ts';
import { GD } from './gd.ts';
import { KL } from './kl.ts';
import type { MethodDef } from './method.ts';
import { NPO } from './npo.ts';
import { PO } from './po.ts';
import { RMU } from './rmu.ts';
import { SIMNPO } from './simnpo.ts';
import { SIU } from './siu.ts';

const BY_ID = new Map<string, MethodDef>([PO, GA, GD, KL, DPO, NPO, SIMNPO, RMU, SIU].map((m) => [m.id, m]));

/** Every method with its loss, in the cards' order. */
export const METHODS: readonly MethodDef[] = METHOD_CARDS.map((card) => {
  const method = BY_ID.get(card.id);
  if (!method) throw new Error(`method card "${card.id}" has no implementation in registry.ts`);
  return method;
});

export function getMethod(id: string): MethodDef {
  const method = BY_ID.get(id);
  if (!method) throw new MethodError(`unknown method "${id}". Valid methods: ${METHOD_IDS.join(', ')}`);
  return method;
}
