/**
 * 9. Containment: a host with running jobs (each leaving a grandchild in its
 * group) is SIGKILLed. Reported: how many of the jobs' processes are still
 * alive one second after the grace, and how long after the host's death the
 * last one was gone — for the default tier (process groups, killed by the
 * host's watchdog), for bwrap (a PID namespace that dies with its parent)
 * when the machine has it, and, for comparison, with the watchdog killed
 * together with the host (what every tier without a watchdog does).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupMembers, signalGroup } from '../src/process/group.js';

const GRACE_MS = 500;
const fixture = fileURLToPath(new URL('../test/fixtures/sigkill-host.ts', import.meta.url));

/** Live processes in the jobs' groups (the pids a job prints under bwrap are its namespace's, so groups are counted instead). */
function alive(groups: readonly number[]): number {
  return groups.reduce((sum, pgid) => sum + groupMembers(pgid).length, 0);
}

interface Outcome {
  readonly processes: number;
  readonly survivors: number;
  /** ms from the host's death to the last process gone; null when some never went. */
  readonly lastGoneMs: number | null;
}

async function killHost(jobs: number, tier: 'group' | 'bwrap', killWatchdog: boolean): Promise<Outcome> {
  const host = spawn(process.execPath, ['--import', 'tsx', fixture, String(jobs), String(GRACE_MS), '-', tier], { stdio: ['ignore', 'pipe', 'inherit'] });
  const report = await new Promise<{ groups: number[]; watchdog: number | null }>((resolve, reject) => {
    let out = '';
    host.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as { groups: number[]; watchdog: number | null });
    });
    host.once('exit', () => reject(new Error(`the host exited early: ${out}`)));
  });
  if (killWatchdog && report.watchdog !== null) process.kill(report.watchdog, 'SIGKILL');
  const processes = alive(report.groups);
  const dead = new Promise((resolve) => host.once('exit', resolve));
  host.kill('SIGKILL');
  await dead;
  const start = performance.now();
  let lastGoneMs: number | null = null;
  while (performance.now() - start < GRACE_MS + 1000) {
    if (alive(report.groups) === 0) {
      lastGoneMs = performance.now() - start;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const survivors = alive(report.groups);
  for (const pgid of report.groups) signalGroup(pgid, 'SIGKILL');
  return { processes, survivors, lastGoneMs };
}

type Results = Record<string, unknown>;

export async function containmentSuite(quick: boolean, results: Results): Promise<void> {
  const jobs = quick ? 3 : 10;
  const rounds = quick ? 1 : 3;
  const bwrap = existsSync('/usr/bin/bwrap') || existsSync('/bin/bwrap');
  const cases: [string, 'group' | 'bwrap', boolean][] = [
    ['process groups + watchdog (default tier)', 'group', false],
    ...(bwrap
      ? ([
          ['bwrap (PID namespace, --die-with-parent)', 'bwrap', false],
          ['bwrap, watchdog killed with the host', 'bwrap', true],
        ] as [string, 'bwrap', boolean][])
      : []),
    ['process groups, watchdog killed with the host', 'group', true],
  ];
  console.log(`\n9. Containment: a host with ${jobs} running jobs (job + grandchild each) is SIGKILLed; grace ${GRACE_MS} ms${bwrap ? '' : ' (bwrap is not installed: its row is left out)'}`);
  console.log(`  ${'tier'.padEnd(50)} ${'processes'.padStart(9)} ${'survivors after grace + 1 s'.padStart(28)} ${'last gone after'.padStart(16)}`);
  const rows: Record<string, Outcome[]> = {};
  for (const [name, tier, killWatchdog] of cases) {
    const outcomes: Outcome[] = [];
    for (let round = 0; round < rounds; round++) outcomes.push(await killHost(jobs, tier, killWatchdog));
    rows[name] = outcomes;
    const survivors = Math.max(...outcomes.map((o) => o.survivors));
    const times = outcomes.map((o) => o.lastGoneMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
    const median = times.length === outcomes.length ? `${Math.round(times[Math.floor(times.length / 2)] as number)} ms` : 'never';
    console.log(`  ${name.padEnd(50)} ${String(outcomes[0]?.processes ?? 0).padStart(9)} ${String(survivors).padStart(28)} ${median.padStart(16)}`);
  }
  results.containment = { jobs, graceMs: GRACE_MS, rounds, rows };
}
