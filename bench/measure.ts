/**
 * Measuring helpers: contenders run interleaved (A B C A B C …) so machine
 * noise hits all of them alike, and results are reported as medians with
 * min–max and ratios against a named baseline.
 */

/** One contender of a comparison: runs one repetition and returns how many units it processed. */
export interface Contender {
  readonly name: string;
  readonly run: () => Promise<number>;
  /** Units every run must process (lines a job printed): a run that processes fewer or more makes the contender wrong, never fast. */
  readonly expect?: number;
}

/** Result of one contender: units per second over its repetitions. */
export interface Measured {
  readonly name: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number[];
  /** Set when a run processed other than `expect` units: the contender lost (or invented) data. */
  readonly wrong?: string;
}

/** Runs every contender `reps` times, interleaved, after one untimed warm-up each. */
export async function compare(contenders: readonly Contender[], reps: number): Promise<Measured[]> {
  for (const contender of contenders) await contender.run();
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const wrong = new Map<string, string>();
  for (let rep = 0; rep < reps; rep++) {
    for (const contender of contenders) {
      const start = process.hrtime.bigint();
      const units = await contender.run();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      samples.get(contender.name)?.push(units / seconds);
      if (contender.expect !== undefined && units !== contender.expect && !wrong.has(contender.name)) {
        wrong.set(contender.name, `processed ${units} of ${contender.expect}`);
      }
    }
  }
  return contenders.map(({ name }) => {
    const values = [...(samples.get(name) ?? [])].sort((a, b) => a - b);
    const fault = wrong.get(name);
    return { name, median: median(values), min: values[0] ?? 0, max: values.at(-1) ?? 0, samples: values, ...(fault === undefined ? {} : { wrong: fault }) };
  });
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Formats a rate with a unit suffix: 1234567 → "1.23 M". */
export function rate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(1);
}

/** Prints one comparison as a table: median, min–max, and the ratio to `baseline`. */
export function table(title: string, unit: string, results: readonly Measured[], baseline: string): void {
  const base = results.find((r) => r.name === baseline)?.median ?? 1;
  console.log(`\n${title}`);
  console.log(`  ${'contender'.padEnd(34)} ${`median ${unit}/s`.padStart(16)} ${'min – max'.padStart(22)} ${`× ${baseline}`.padStart(18)}`);
  for (const r of results) {
    const range = `${rate(r.min)} – ${rate(r.max)}`;
    const ratio = r.wrong === undefined ? (r.median / base).toFixed(2) : `WRONG: ${r.wrong}`;
    console.log(`  ${r.name.padEnd(34)} ${rate(r.median).padStart(16)} ${range.padStart(22)} ${ratio.padStart(18)}`);
  }
}
