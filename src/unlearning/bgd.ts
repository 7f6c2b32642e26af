// BGD, balanced gradient difference, for joint person + event requests (PEBench proposes it; its
// formula is not public, so this is our reconstruction, docs/paper.md section 5):
//   L(theta) = w_p F_p(theta) + w_e F_e(theta) + lambda R(theta)
// F_p, F_e: the base method's forget term (GD / KL / NPO) averaged over person rows and over event
// rows separately; R: its retain term. Two things keep either concept from dominating:
//   1. balanced batches: the forget half of every batch is split evenly between person and event rows
//      (without BGD, forget rows are drawn from the pooled set, where person images outnumber events);
//   2. balanced weights: w_c = N_other / (N_p + N_e), where N_c is the forget answers' NLL on the
//      concept's rows (an exponential moving average over earlier steps; w = 1/2 each at the first
//      step). The concept forgotten less so far (lower NLL) gets the larger weight and sum(w) = 1.
//      Progress is measured by the NLL, not by the size of F_c, because F_c moves in opposite
//      directions for the base methods (GD/KL: F = -NLL grows with forgetting; NPO: F shrinks).
// Not here: the graph (objectives.ts takes the weights as an input, `bgd_weights`), its parameter
// and card text (BGD_SMOOTHING, BGD_INFO in cards.ts).
/** Tracks the two concepts' forget NLLs and gives the weights of the next step. */
export class BgdWeights {
  private person = Number.NaN;
  private event = Number.NaN;

  constructor(private readonly smoothing: number) {
    if (!(smoothing >= 0 && smoothing < 1)) throw new RangeError(`BGD smoothing must be in [0, 1), got ${smoothing}`);
  }

  /** [w_person, w_event] for the next step. */
  weights(): [number, number] {
    const p = Math.abs(this.person);
    const e = Math.abs(this.event);
    if (!Number.isFinite(p) || !Number.isFinite(e) || p + e === 0) return [0.5, 0.5];
    return [e / (p + e), p / (p + e)];
  }

  /** Records one step's per-concept forget NLLs (non-finite values are ignored). */
  observe(personNll: number, eventNll: number): void {
    const blend = (old: number, value: number) => (!Number.isFinite(value) ? old : Number.isNaN(old) ? value : this.smoothing * old + (1 - this.smoothing) * value);
    this.person = blend(this.person, personNll);
    this.event = blend(this.event, eventNll);
  }
}
