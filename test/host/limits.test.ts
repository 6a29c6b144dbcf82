/**
 * Resource limits per binary. Attacks: a fork bomb, a memory hog, a disk
 * filler, a job opening every file descriptor, a job spinning on the CPU —
 * each must end with one terminal event that names what it ran into, and
 * the host must keep serving (the next job of the same host completes).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TerminalJobEvent } from '../../src/contracts/jobs.js';
import { JobHost } from '../../src/host/job-host.js';
import type { ResourceLimits } from '../../src/policy/limits.js';
import { groupMembers } from '../../src/process/group.js';
import { expectJobHostError } from '../helpers/errors.js';
import { fixture, makeHost, tempDir } from '../helpers/host.js';

const limited = (name: string, limits: ResourceLimits, containment?: 'bwrap'): Record<string, unknown> => ({
  path: fixture(`limits/${name}`),
  limits,
  ...(containment === undefined ? {} : { containment }),
});

/** Runs `binary` on `host` and proves the host still serves afterwards. */
async function runThenServe(host: JobHost, binary: string, args: string[] = []): Promise<TerminalJobEvent> {
  const jobs = host.forOwner('limited');
  const id = jobs.spawn({ label: binary, binary, args });
  const end = await jobs.wait(id);
  const started = host.forOwner('limited').list().find((job) => job.id === id);
  expect(started).toBeDefined();
  const next = await jobs.run({ label: 'after', binary: 'lines', args: ['1'] });
  expect(next.type, 'the host serves the next job').toBe('job_completed');
  return end;
}

describe('limits enforced by the host’s sampling of the job’s process group', () => {
  it('a fork bomb is killed as soon as it passes the process limit, every process of it gone', async () => {
    const host = makeHost({ binaries: { bomb: limited('fork-bomb.sh', { processes: 40 }) } });
    const jobs = host.forOwner('limited');
    const id = jobs.spawn({ label: 'bomb', binary: 'bomb', args: ['12'] });
    let leader = 0;
    const stop = jobs.onEvent((event) => {
      if (event.type === 'job_started' && event.job_id === id) leader = event.pid ?? 0;
    });
    const end = await jobs.wait(id);
    stop();
    expect(end).toMatchObject({ type: 'job_failed', exit_code: null });
    expect(end.type === 'job_failed' && end.error).toMatch(/^killed: the job exceeded the process limit of 40 \(\d+ processes were running\)$/);
    expect(groupMembers(leader)).toEqual([]);
    expect((await jobs.run({ label: 'after', binary: 'lines', args: ['1'] })).type).toBe('job_completed');
  });

  it('a memory hog is killed when the group’s resident memory passes the limit', async () => {
    const host = makeHost({ binaries: { hog: limited('memory-hog.mjs', { memoryBytes: 192 * 1024 * 1024 }) } });
    const end = await runThenServe(host, 'hog');
    expect(end.type === 'job_failed' && end.error).toMatch(/^killed: the job exceeded the memory limit of 192 MiB \([\d.]+ MiB resident\)$/);
  });
});

describe('limits enforced by the kernel (rlimits set with prlimit)', () => {
  it('a disk filler dies of SIGXFSZ at the file size limit, and the file stops there', async () => {
    const host = makeHost({ binaries: { filler: limited('disk-filler.sh', { fileSizeBytes: 1024 * 1024 }) } });
    const out = join(host.root, 'filler.out');
    const end = await runThenServe(host, 'filler', ['64', out]);
    expect(end.type === 'job_failed' && end.error).toBe('exited with code 153 (a process of the job was killed by SIGXFSZ): the job exceeded the file size limit of 1 MiB');
    expect(statSync(out).size).toBeLessThanOrEqual(1024 * 1024);
  });

  it('a job opening every file descriptor stops at the open-files limit; the message names the limits in force', async () => {
    const host = makeHost({ binaries: { fds: limited('fd-hog.mjs', { openFiles: 64 }) } });
    const end = await runThenServe(host, 'fds');
    expect(end).toMatchObject({ type: 'job_failed', exit_code: 3 });
    expect(end.type === 'job_failed' && end.error).toMatch(/stopped after \d+ files: EMFILE \(limits in force: open files 64\)$/);
  });

  it('a CPU hog dies of SIGXCPU at the CPU time limit', async () => {
    const host = makeHost({ binaries: { spin: limited('cpu-hog.sh', { cpuSeconds: 1 }) } });
    const end = await runThenServe(host, 'spin');
    expect(end).toMatchObject({ type: 'job_failed', exit_code: null });
    expect(end.type === 'job_failed' && end.error).toBe('killed by signal SIGXCPU: the job exceeded the CPU time limit of 1 s');
  });

  it('an address-space limit makes large allocations fail', async () => {
    const host = makeHost({ binaries: { dd: { path: 'dd', limits: { addressSpaceBytes: 64 * 1024 * 1024 } } } });
    const end = await runThenServe(host, 'dd', ['if=/dev/zero', 'of=/dev/null', 'bs=256M', 'count=1']);
    expect(end.type === 'job_failed' && end.error).toMatch(/memory exhausted.*\(limits in force: address space 64 MiB\)$/);
  });
});

describe('limits are checked at construction', () => {
  it.each([
    [{ cpuSeconds: 0 }, 'integer from 1'],
    [{ memoryBytes: -1 }, 'integer from 1'],
    [{ processes: 1.5 }, 'integer from 1'],
    [{ ram: 100 }, 'Unknown option `binaries.x.limits.ram`'],
    ['100', 'to be an object'],
  ])('%j → ERR_INVALID_OPTIONS', (limits, message) => {
    const error = expectJobHostError(() => new JobHost({ root: tempDir(), binaries: { x: { path: fixture('lines.mjs'), limits } as never } }), 'ERR_INVALID_OPTIONS');
    expect(error.message).toContain(message);
  });

  it('rlimits without prlimit on the search path are a construction error, not a silent downgrade', () => {
    const error = expectJobHostError(() => new JobHost({ root: tempDir(), searchPath: '/nonexistent', binaries: { x: { path: process.execPath, limits: { cpuSeconds: 5 } } } }), 'ERR_CONTAINMENT_UNAVAILABLE');
    expect(error.message).toContain('prlimit');
  });
});

/** Processes (from /proc) whose command line is exactly `sleep <duration>`. */
function sleepers(duration: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1') === `sleep\0${duration}\0`) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('containment tiers', () => {
  it('under the group tier a setsid daemon escapes the job (the documented limit of that tier)', async () => {
    const duration = `300.${process.pid}1`;
    const host = makeHost({ binaries: { daemon: { path: fixture('limits/daemon.sh') } } });
    try {
      expect((await host.forOwner('p').run({ label: 'd', binary: 'daemon', args: [duration] })).type).toBe('job_completed');
      expect(sleepers(duration)).toHaveLength(1);
    } finally {
      for (const pid of sleepers(duration)) process.kill(pid, 'SIGKILL');
    }
  });

  it('under bwrap the daemon dies with the job; host.containment reports the tier', async () => {
    const duration = `300.${process.pid}2`;
    const bwrapAvailable = existsSync('/usr/bin/bwrap') || existsSync('/bin/bwrap');
    if (!bwrapAvailable) {
      // the machine lacks bubblewrap: asking for the tier must fail loudly
      expectJobHostError(() => new JobHost({ root: tempDir(), binaries: { daemon: { path: fixture('limits/daemon.sh'), containment: 'bwrap' } } }), 'ERR_CONTAINMENT_UNAVAILABLE');
      return;
    }
    const host = makeHost({ binaries: { daemon: { path: fixture('limits/daemon.sh'), containment: 'bwrap' } } });
    expect(host.containment.binaries.get('daemon')).toMatchObject({ tier: 'bwrap' });
    expect(host.containment.binaries.get('lines')).toMatchObject({ tier: 'group' });
    try {
      const end = await host.forOwner('p').run({ label: 'd', binary: 'daemon', args: [duration] });
      expect(end.type).toBe('job_completed');
      expect(sleepers(duration)).toEqual([]);
    } finally {
      for (const pid of sleepers(duration)) process.kill(pid, 'SIGKILL');
    }
  });

  it('limits work under bwrap too: its exit code 128 + SIGXCPU reads as the signal', async () => {
    if (!existsSync('/usr/bin/bwrap') && !existsSync('/bin/bwrap')) {
      expectJobHostError(() => makeHost({ binaries: { spin: limited('cpu-hog.sh', { cpuSeconds: 1 }, 'bwrap') } }), 'ERR_CONTAINMENT_UNAVAILABLE');
      return;
    }
    const host = makeHost({ binaries: { spin: limited('cpu-hog.sh', { cpuSeconds: 1 }, 'bwrap') } });
    const end = await runThenServe(host, 'spin');
    expect(end.type === 'job_failed' && end.error).toBe('killed by signal SIGXCPU: the job exceeded the CPU time limit of 1 s');
  });

  it('asking for a tier the machine lacks is a construction error', () => {
    expect(expectJobHostError(() => new JobHost({ root: tempDir(), binaries: { x: { path: fixture('lines.mjs'), containment: 'systemd-scope' } } }), 'ERR_CONTAINMENT_UNAVAILABLE').message).toContain('systemd');
    expect(expectJobHostError(() => new JobHost({ root: tempDir(), searchPath: '/nonexistent', binaries: { x: { path: process.execPath, containment: 'bwrap' } } }), 'ERR_CONTAINMENT_UNAVAILABLE').message).toContain('bubblewrap');
    expectJobHostError(() => new JobHost({ root: tempDir(), binaries: { x: { path: fixture('lines.mjs'), containment: 'chroot' as never } } }), 'ERR_INVALID_OPTIONS');
  });
});
