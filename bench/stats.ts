// Summaries of repeated timings: median and spread (p10–p90, median absolute deviation).

export interface Summary {
  n: number;
  median: number;
  p10: number;
  p90: number;
  mad: number;
  min: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((s) => Math.abs(s - median)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median,
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    mad: quantile(deviations, 0.5),
    min: sorted[0],
  };
}

/** Prints a measurement: one JSON object per line with --json, else an aligned human line. */
export function report(json: boolean, record: Record<string, unknown>, human: string): void {
  console.log(json ? JSON.stringify(record) : human);
}

export const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

