// Small statistics for the PEBench extras: mean, median, ROC AUC (Mann-Whitney, by ranks) and the
// two-sample Kolmogorov-Smirnov test used for TOFU's forget quality.
// Pure numbers in, numbers out; no sampling, no randomness. Not here: which scores are compared
// (membership.ts, truth.ts, pebench-report.ts).

function requireValues(values: ArrayLike<number>, what: string): void {
  if (values.length === 0) throw new RangeError(`${what} needs at least one value, got an empty list`);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`${what}: value ${i} is NaN; drop or fix it before calling`);
  }
}

/** Arithmetic mean; throws on an empty list. */
export function mean(values: ArrayLike<number>): number {
  requireValues(values, 'mean');
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Median (mean of the two middle values for an even count); throws on an empty list. */
export function median(values: ArrayLike<number>): number {
  requireValues(values, 'median');
  const sorted = Array.from(values).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * P(a positive scores higher than a negative), ties counting 1/2: the Mann-Whitney U statistic
 * divided by n_pos * n_neg, from the positives' rank sum (tied values share their average rank).
 * O(n log n). 1 = fully separated with positives above, 0.5 = no separation.
 */
export function rocAuc(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  requireValues(positive, 'rocAuc (positives)');
  requireValues(negative, 'rocAuc (negatives)');
  const all: { value: number; positive: boolean }[] = [];
  for (let i = 0; i < positive.length; i++) all.push({ value: positive[i], positive: true });
  for (let i = 0; i < negative.length; i++) all.push({ value: negative[i], positive: false });
  all.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  let positiveRankSum = 0;
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end + 1 < all.length && all[end + 1].value === all[start].value) end++;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let i = start; i <= end; i++) if (all[i].positive) positiveRankSum += averageRank;
    start = end + 1;
  }
  const nPos = positive.length;
  const nNeg = negative.length;
  const u = positiveRankSum - (nPos * (nPos + 1)) / 2;
  return u / (nPos * nNeg);
}

/**
 * Survival function of the Kolmogorov distribution, Q(lambda) = P(K > lambda)
 *   = 2 * sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2).
 * That series converges slowly for small lambda, so below 1.18 we use the equivalent (Jacobi theta)
 * form 1 - sqrt(2 pi)/lambda * sum_{j>=1} exp(-(2j-1)^2 pi^2 / (8 lambda^2)).
 */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  let q: number;
  if (lambda < 1.18) {
    let sum = 0;
    for (let j = 1; j <= 20; j++) sum += Math.exp(-((2 * j - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    q = 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
  } else {
    let sum = 0;
    for (let j = 1; j <= 100; j++) {
      const term = Math.exp(-2 * j * j * lambda * lambda);
      sum += j % 2 === 1 ? term : -term;
      if (term < 1e-300) break;
    }
    q = 2 * sum;
  }
  return Math.min(1, Math.max(0, q));
}

export interface KsResult {
  /** D = max |F_a(x) - F_b(x)| over x, 0-1: the effect size. */
  statistic: number;
  /** Two-sided asymptotic p-value (see ksTwoSample). */
  pValue: number;
  /** Sample sizes [a, b]. */
  n: [number, number];
}

/**
 * Two-sample, two-sided Kolmogorov-Smirnov test. D is the largest gap between the two empirical
 * CDFs. p-value: the asymptotic Kolmogorov distribution with Stephens' small-sample correction
 * (as in Numerical Recipes' probks):
 *   en = sqrt(n*m/(n+m)),  lambda = (en + 0.12 + 0.11/en) * D,  p = Q(lambda)  (kolmogorovQ).
 * Not the exact permutation p-value; good to a few percent from about n, m >= 4.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  requireValues(a, 'ksTwoSample (first sample)');
  requireValues(b, 'ksTwoSample (second sample)');
  const sa = Array.from(a).sort((x, y) => x - y);
  const sb = Array.from(b).sort((x, y) => x - y);
  const n = sa.length;
  const m = sb.length;
  let i = 0;
  let j = 0;
  let d = 0;
  // Walk both sorted samples; at each distinct value step past every copy of it in both, then compare CDFs.
  while (i < n && j < m) {
    const x = Math.min(sa[i], sb[j]);
    while (i < n && sa[i] === x) i++;
    while (j < m && sb[j] === x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  // Once one sample is used up its CDF stays 1 and the other's only rises, so the gap only shrinks.
  const en = Math.sqrt((n * m) / (n + m));
  const pValue = kolmogorovQ((en + 0.12 + 0.11 / en) * d);
  return { statistic: d, pValue, n: [n, m] };
}
