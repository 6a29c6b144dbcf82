/**
 * `npm run soak`: thousands of real jobs through one JobHost, then proof that
 * it kept its promises (see scripts/soak/ and docs/reliability.md).
 *
 *   --jobs N     how many jobs (default 10 000)
 *   --quick      the CI-sized run: 400 jobs, outputs capped at 1 MB
 *   --seed N     replay the plans of an earlier run (default: random, printed)
 *   --burn N     keep N CPU burners running meanwhile: a busy machine on purpose
 *                (2 cores + `--burn 6` is a load average of about 6 and more)
 *
 * Exits 1 when any invariant was violated (after a memory violation it also
 * writes a heap snapshot and prints where), 2 on bad arguments.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { Violations } from './soak/violations.js';
import { judge, report, type Allowances } from './soak/report.js';
import { runSoak } from './soak/run.js';

const ALLOWANCES: Allowances = { fds: 2, rssMb: 32, heapMb: 8 };

function count(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`Expected --${name} to be a non-negative integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: { jobs: { type: 'string' }, quick: { type: 'boolean', default: false }, seed: { type: 'string' }, burn: { type: 'string' } },
  strict: true,
});
const quick = values.quick;
const config = {
  jobs: count('jobs', values.jobs, quick ? 400 : 10_000),
  seed: count('seed', values.seed ?? process.env.SOAK_SEED, randomInt(2 ** 31)),
  quick,
  concurrency: 16,
  progress: (line: string) => console.error(line),
};
console.error(`[soak] seed ${config.seed}, ${config.jobs} jobs, ${config.concurrency} at a time (replay with --seed ${config.seed})`);

// not jobs: plain busy loops beside the host, killed when the run ends (or the script dies)
const burners = Array.from({ length: count('burn', values.burn, 0) }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopBurners = (): void => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.once('exit', stopBurners);
if (burners.length > 0) console.error(`[soak] ${burners.length} CPU burners running`);

const violations = new Violations();
const figures = await runSoak(config, violations, ALLOWANCES.fds);
stopBurners();
judge(figures, ALLOWANCES, violations);
console.log(report(figures, violations, quick));
if (violations.counts.has('memory')) {
  // what is still alive, for Chrome DevTools' Memory tab: the run is over, so all of it is suspect
  console.log(`heap snapshot: ${writeHeapSnapshot(join(tmpdir(), `jobhost-soak-${config.seed}.heapsnapshot`))}`);
}
process.exitCode = violations.total === 0 ? 0 : 1;
