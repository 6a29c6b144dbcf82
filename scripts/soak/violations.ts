/**
 * The soak's invariants by name, and the record of their violations: a
 * count per invariant and the first few messages, so a run with thousands of
 * failures still prints a readable report.
 */

/** Invariant names, as reported. */
export const INVARIANTS = {
  order: 'job_started first, one terminal event, nothing after it',
  groupGone: "no process of the job's group alive at its terminal event",
  outcome: 'every job ends as its plan says, with all of its output',
  allEnded: 'every spawned job ended',
  waited: 'wait()/done resolve with the terminal event',
  drained: "a drained owner's stream keeps the same order",
} as const;

/** Collects violations: a count per invariant and the first few messages. */
export class Violations {
  readonly counts = new Map<string, number>();
  readonly samples: string[] = [];

  add(invariant: string, message: string): void {
    this.counts.set(invariant, (this.counts.get(invariant) ?? 0) + 1);
    if (this.samples.length < 30) this.samples.push(`${invariant}: ${message}`);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }
}
