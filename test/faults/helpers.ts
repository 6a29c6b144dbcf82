/**
 * Helpers for the fault tests: fixture programs installed with this Node.js
 * as their interpreter, pids read from a job's events, and /proc checks for
 * processes that must (or, for the documented escapes, may) survive.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { descendantsOf, isLive, scanProcesses } from '../../scripts/soak/procs.js';
import type { JobEvent } from '../../src/contracts/jobs.js';
import type { BinaryPolicy } from '../../src/policy/binaries.js';
import { groupMembers } from '../../src/process/group.js';
import { fixture, isAlive, tempDir, until } from '../helpers/host.js';

/**
 * `test/fixtures/faults/<name>.mjs` as an allow-list entry: copied with a
 * `#!<this node>` line into a temp dir, so neither PATH nor the file mode matters.
 */
export function faultProgram(name: string): BinaryPolicy {
  const path = join(tempDir('jobhost-fault-bin-'), `${name}.mjs`);
  writeFileSync(path, `#!${process.execPath}\n${readFileSync(fixture(`faults/${name}.mjs`), 'utf8')}`);
  chmodSync(path, 0o755);
  return { path };
}

/** The pid in the job's `job_started` event. */
export function startedPid(events: readonly JobEvent[], id: string): number {
  const started = events.find((event) => event.type === 'job_started' && event.job_id === id);
  if (started?.type !== 'job_started' || started.pid === null) throw new Error(`no job_started with a pid for ${id}`);
  return started.pid;
}

/** The number after `<word> ` in the job's first log line starting with it (`grandchild 123`, `daemon 456`). */
export function pidIn(events: readonly JobEvent[], id: string, word: string): number {
  for (const event of events) {
    if (event.type === 'job_log_line' && event.job_id === id && event.line.startsWith(`${word} `)) return Number(event.line.slice(word.length + 1));
  }
  throw new Error(`no "${word} <pid>" line from ${id}`);
}

/** The events of one job, in order. */
export function eventsOf(events: readonly JobEvent[], id: string): JobEvent[] {
  return events.filter((event) => event.job_id === id);
}

/** Live (non-zombie) processes below this test process, other than those in `known`. */
export function liveDescendants(known: ReadonlySet<number> = new Set()): string[] {
  return descendantsOf(process.pid, scanProcesses())
    .filter((info) => isLive(info) && !known.has(info.pid))
    .map((info) => `${info.pid} ${info.command} (group ${info.pgid})`);
}

/** The pids of live processes below this test process now, to leave out of a later {@link liveDescendants}. */
export function descendantPids(): Set<number> {
  return new Set(descendantsOf(process.pid, scanProcesses()).map((info) => info.pid));
}

const strays: { readonly pid: number; readonly group: boolean }[] = [];
afterEach(async () => {
  for (const { pid, group } of strays.splice(0)) {
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      continue; // already gone
    }
    await until(() => (group ? groupMembers(pid).length === 0 : !isAlive(pid)), 10_000, `stray ${group ? 'group' : 'process'} ${pid} to die`);
  }
});

/**
 * A process (or with `group`, a whole process group) that a test deliberately
 * lets escape jobhost — a daemon, the jobs of a SIGKILLed host: SIGKILLed after the test.
 */
export function killAfterTest(pid: number, options: { readonly group?: boolean } = {}): void {
  strays.push({ pid, group: options.group ?? false });
}
