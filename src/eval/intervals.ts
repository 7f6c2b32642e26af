// Several forget seeds, one number: the mean of the per-seed values with a 95 % interval over seeds
// (Student's t: mean ± t(0.975, k-1) · s / √k for k seeds). The unit that is replicated is the forget
// set: each seed draws other targets, and it is the draw that moves the numbers (GD's Retain went
// 63 -> 17 -> 9 over three draws), so the interval is taken over seeds, not over the items of one
// draw (those are not independent of the targets; a bootstrap over them would describe one draw only).
// With 3 seeds the interval is wide (t = 4.30): it says honestly how little 3 draws pin down. Null
// values (a seed where the column does not exist, e.g. no Goal model) are left out and counted.
// Pure. Not here: which values (the bench), how they print (report-format.ts).
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface SeedSummary {
  /** Mean of the seeds that have a value; null when none has. */
  mean: number | null;
  /** 95 % t-interval over seeds; null with fewer than 2 values. */
  ci95: [number, number] | null;
  /** One value per seed, in the seeds' order (null where the seed has none). */
  perSeed: (number | null)[];
}

export function seedSummary(perSeed: readonly (number | null | undefined)[]): SeedSummary {
  const values = perSeed.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const all = perSeed.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  if (values.length === 0) return { mean: null, ci95: null, perSeed: all };
  const k = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / k;
  if (k < 2) return { mean, ci95: null, perSeed: all };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (k - 1));
  const half = tQuantile(0.975, k - 1) * sd / Math.sqrt(k);
  return { mean, ci95: [mean - half, mean + half], perSeed: all };
}

/** Half the interval's width (the ± of `mean ± half-width`), or null. */
export const halfWidth = (s: SeedSummary): number | null => (s.ci95 ? (s.ci95[1] - s.ci95[0]) / 2 : null);

/** Whether two summaries' intervals are apart (a difference the seeds support), overlap, or cannot be told (no interval). */
export function compareIntervals(a: SeedSummary, b: SeedSummary): 'a-higher' | 'b-higher' | 'overlap' | 'unknown' {
  if (!a.ci95 || !b.ci95) return 'unknown';
  if (a.ci95[0] > b.ci95[1]) return 'a-higher';
  if (b.ci95[0] > a.ci95[1]) return 'b-higher';
  return 'overlap';
}
