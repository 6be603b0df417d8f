/** Small numeric helpers for the latency benchmarks: nearest-rank percentiles and fixed formatting. */

/** Nearest-rank percentile (the value at rank ceil(p/100 · n)) of an unsorted sample; throws when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of an empty sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function formatMs(value: number): string {
  return value.toFixed(2);
}

export function formatRatio(value: number): string {
  return value.toFixed(2);
}
