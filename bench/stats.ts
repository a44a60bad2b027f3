export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
}

/** The share of (positive, negative) pairs a score puts in the right order: 0.5 is chance, 1 is perfect. */
export function areaUnderCurve(positives: readonly number[], negatives: readonly number[]): number {
  let right = 0;
  for (const positive of positives) {
    for (const negative of negatives) right += positive > negative ? 1 : positive === negative ? 0.5 : 0;
  }
  return positives.length * negatives.length === 0 ? Number.NaN : right / (positives.length * negatives.length);
}

export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) =>
    row.map((cell) =>
      typeof cell === "number" ? (Number.isInteger(cell) ? String(cell) : cell.toFixed(cell < 10 ? 2 : 1)) : cell,
    ),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  return [line(cells[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** Runs `task` for each item with at most `concurrency` in flight; returns wall-clock milliseconds. */
export async function runConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        await task(items[index] as T, index);
      }
    }),
  );
  return performance.now() - started;
}
