/**
 * The soak's verdict: the after-the-run invariants (survivors, descriptors,
 * memory) judged from the figures, and the report printed for people and for
 * the CI test (`SOAK_RESULT <json>` on the last line).
 */
import { INVARIANTS, type Violations } from './violations.js';
import type { SoakFigures } from './run.js';

/** How much the run may leave behind. */
export interface Allowances {
  /** Open file descriptors above the count before the first job. */
  readonly fds: number;
  /**
   * MB of RSS, once the host is gone, above the highest RSS measured (after a
   * full GC) during the first half of the run. RSS does not return to where it
   * started, because the allocator keeps pages it was once given — after a
   * burst it stays near that burst's peak without any leak — so the check is
   * that it stops growing; a leak keeps growing through the second half. The
   * heap and ArrayBuffers, which do go back, are held to `heapMb`.
   */
  readonly rssMb: number;
  /**
   * MB of used heap above its size before the first job, once the host is
   * gone; and of ArrayBuffers, already while the host (keeping finished jobs
   * for their status) is still there. All after a full GC.
   */
  readonly heapMb: number;
}

const AFTER_RUN = {
  survivors: 'no process of any job alive afterwards (/proc: descendants and job groups)',
  fds: 'no growth in open file descriptors',
  memory: 'heap and ArrayBuffers back near where they started, RSS not growing in the second half',
} as const;

/** Adds violations for what the figures show after the run. */
export function judge(figures: SoakFigures, allowances: Allowances, violations: Violations): void {
  for (const survivor of figures.survivors) violations.add('survivors', survivor);
  if (figures.fds.after > figures.fds.before + allowances.fds) {
    violations.add('fds', `${figures.fds.after} open file descriptors after the run, ${figures.fds.before} before (allowed: +${allowances.fds})`);
  }
  const { rssMb, heapMb, arrayBuffersMb } = figures;
  if (rssMb.after > rssMb.firstHalf + allowances.rssMb) {
    violations.add('memory', `RSS ${rssMb.after} MB after the run, at most ${rssMb.firstHalf} MB during its first half (allowed: +${allowances.rssMb} MB)`);
  }
  if (heapMb.after > heapMb.before + allowances.heapMb) {
    violations.add('memory', `heap ${heapMb.after} MB after the run, ${heapMb.before} MB before (allowed: +${allowances.heapMb} MB)`);
  }
  const buffers = Math.max(arrayBuffersMb.withHost, arrayBuffersMb.after);
  if (buffers > arrayBuffersMb.before + allowances.heapMb) {
    violations.add('memory', `ArrayBuffers ${buffers} MB after the run, ${arrayBuffersMb.before} MB before (allowed: +${allowances.heapMb} MB)`);
  }
}

function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

/** The human-readable report, then `SOAK_RESULT <json>`. */
export function report(figures: SoakFigures, violations: Violations, quick: boolean): string {
  const { rssMb, heapMb, arrayBuffersMb, fds } = figures;
  const outcomes = Object.entries(figures.outcomes)
    .map(([outcome, count]) => `${outcome} ${thousands(count)}`)
    .join(' · ');
  const lines = [
    `jobhost soak: seed ${figures.seed}, ${thousands(figures.jobs)} jobs, ${figures.concurrency} at a time, killGraceMs ${figures.killGraceMs}${quick ? ' (quick)' : ''}`,
    `  duration      ${(figures.durationMs / 1000).toFixed(1)} s: ${figures.jobsPerSec} jobs/s, ${thousands(figures.linesPerSec)} lines/s, ${figures.outputMbPerSec} MB/s of output`,
    `  output        ${thousands(figures.logLines)} log lines, ${figures.outputMb} MB`,
    `  outcomes      ${outcomes}`,
    `  RSS           before ${rssMb.before} MB, peak ${rssMb.peak} MB, at most ${rssMb.firstHalf} MB after GC in the first half, once the host is gone ${rssMb.after} MB`,
    `                after GC at every 10%: ${rssMb.checkpoints.join(', ')} MB`,
    `  heap          before ${heapMb.before} MB, peak ${heapMb.peak} MB, after dispose ${heapMb.withHost} MB (finished jobs retained), once the host is gone ${heapMb.after} MB`,
    `  ArrayBuffers  before ${arrayBuffersMb.before} MB, after dispose ${arrayBuffersMb.withHost} MB, once the host is gone ${arrayBuffersMb.after} MB`,
    `  open fds      before ${fds.before}, after ${fds.after}`,
    `  processes     ${thousands(figures.processesStarted)} jobs started, ${figures.survivors.length} survivors`,
    '',
    'invariants:',
  ];
  const names: Record<string, string> = { ...INVARIANTS, ...AFTER_RUN };
  for (const [key, text] of Object.entries(names)) {
    const count = violations.counts.get(key) ?? 0;
    lines.push(`  ${count === 0 ? 'PASS' : `FAIL ×${count}`}  ${text}`);
  }
  if (violations.samples.length > 0) lines.push('', 'first violations:', ...violations.samples.map((sample) => `  ${sample}`));
  lines.push('', `SOAK_RESULT ${JSON.stringify({ ...figures, violations: violations.total, failed: Object.fromEntries(violations.counts) })}`);
  return lines.join('\n');
}
