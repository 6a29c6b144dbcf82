/**
 * Fault: the host process itself is killed with SIGKILL. No handler runs —
 * no `exit` event, no finally block — and the kernel does not kill a dead
 * parent's children: they are reparented. Every job runs in its own session
 * and process group, so it does not even get the terminal's SIGHUP.
 *
 * What kills them is the host's watchdog: a tiny process holding a pipe from
 * the host. The pipe reaches EOF when the host dies, however it dies, and the
 * watchdog then sends SIGTERM to every group it was told about, waits the
 * grace, sends SIGKILL and exits. The test SIGKILLs a real host process with
 * running jobs that have grandchildren and finds nothing left — not the
 * jobs, not the grandchildren, not the watchdog.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobHost } from '../../src/host/job-host.js';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/process/group.js';
import { fixture, isAlive, nextEvent, tempDir, until } from '../helpers/host.js';
import { expectJobHostError } from '../helpers/errors.js';
import { killAfterTest } from './helpers.js';

const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** Starts `sigkill-host.ts` with `jobs` jobs and resolves once every job and grandchild is up. */
async function hostWithJobs(jobs: number, graceMs: number, stateDir?: string, tier: 'group' | 'bwrap' = 'group'): Promise<{ host: ReturnType<typeof spawn>; groups: number[]; pids: number[]; watchdog: number | null }> {
  const host = spawn(process.execPath, ['--import', tsx, fixture('sigkill-host.ts'), String(jobs), String(graceMs), stateDir ?? '-', tier], { cwd: tempDir(), stdio: ['ignore', 'pipe', 'inherit'] });
  if (host.pid !== undefined) killAfterTest(host.pid); // a failing test must not leave a live host behind
  const report = await new Promise<{ groups: number[]; pids: number[]; watchdog: number | null }>((resolve, reject) => {
    let out = '';
    host.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as { groups: number[]; pids: number[]; watchdog: number | null });
    });
    host.once('exit', () => reject(new Error(`the host exited before reporting its jobs: ${out}`)));
  });
  for (const pgid of report.groups) killAfterTest(pgid, { group: true });
  return { host, ...report };
}

describe('the host process SIGKILLed', () => {
  it('a host that exits on SIGTERM takes its watchdog with it (the exit cleanup kills its group like a job’s)', async () => {
    const { host, watchdog } = await hostWithJobs(1, 200);
    host.kill('SIGTERM');
    await until(() => watchdog !== null && !isAlive(watchdog), 20_000, 'the watchdog to exit');
  });

  it('dispose() stops the watchdog once every job is gone', async () => {
    const host = new JobHost({ root: tempDir(), binaries: { lines: { path: fixture('lines.mjs') } } });
    expect(host.containment.watchdog.pid, 'no watchdog before the first job').toBeNull();
    await host.forOwner('p').run({ label: 'l', binary: 'lines', args: [] });
    const watchdog = host.containment.watchdog.pid;
    expect(watchdog).not.toBeNull();
    expect(isAlive(watchdog as number)).toBe(true);
    await host.dispose();
    expect(isAlive(watchdog as number)).toBe(false);
    expect(host.containment.watchdog.pid).toBeNull();
  });

  it('its watchdog kills every job and grandchild within the grace, and exits', async () => {
    const { host, groups, pids, watchdog } = await hostWithJobs(5, 500);
    expect(pids).toHaveLength(10);
    expect(watchdog, 'the host started its watchdog with its first job').not.toBeNull();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => host.once('exit', (_code, signal) => resolve(signal)));
    host.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const start = Date.now();
    await until(() => pids.every((pid) => !isAlive(pid)), 20_000, 'every job process and grandchild to be gone');
    expect(groups.flatMap((pgid) => groupMembers(pgid))).toEqual([]);
    // the watchdog waited out the grace only if something ignored SIGTERM; here SIGTERM was enough
    expect(Date.now() - start).toBeLessThan(15_000);
    await until(() => !isAlive(watchdog as number), 20_000, 'the watchdog to exit');
  });
});

describe('the bwrap tier without the watchdog', () => {
  it('a host SIGKILLed together with its watchdog: bwrap’s PID namespaces die with their parent, nothing is left', async () => {
    if (!existsSync('/usr/bin/bwrap') && !existsSync('/bin/bwrap')) {
      expectJobHostError(() => new JobHost({ root: tempDir(), binaries: { x: { path: process.execPath, containment: 'bwrap' } } }), 'ERR_CONTAINMENT_UNAVAILABLE');
      return;
    }
    const { host, groups, watchdog } = await hostWithJobs(3, 500, undefined, 'bwrap');
    const before = groups.flatMap((pgid) => groupMembers(pgid));
    expect(before.length, 'bwrap, its namespace init, the job and its grandchild, per job').toBeGreaterThanOrEqual(groups.length * 3);
    process.kill(watchdog as number, 'SIGKILL');
    await until(() => !isAlive(watchdog as number), 20_000, 'the watchdog to die');
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGKILL');
    await exited;
    await until(() => groups.every((pgid) => groupMembers(pgid).length === 0), 20_000, 'every namespace to be gone');
  });
});

describe('the start-up sweep of a state directory', () => {
  it('kills what a host left behind when the host and its watchdog were both killed, and reports it', async () => {
    const stateDir = join(tempDir(), 'state');
    const { host, groups, pids, watchdog } = await hostWithJobs(3, 500, stateDir);
    // a kill -9 of everything the host had of its own: the watchdog first, so it cannot act
    process.kill(watchdog as number, 'SIGKILL');
    await until(() => !isAlive(watchdog as number), 20_000, 'the watchdog to die');
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGKILL');
    await exited;
    expect(pids.every((pid) => isAlive(pid)), 'nothing else has killed the jobs yet').toBe(true);
    const next = new JobHost({ root: tempDir(), stateDir, binaries: {} });
    try {
      const swept = next.containment.swept;
      expect(swept.map((group) => group.pgid).sort()).toEqual([...groups].sort());
      expect(swept.every((group) => group.processes === 2 && group.host === host.pid)).toBe(true);
      await until(() => pids.every((pid) => !isAlive(pid)), 20_000, 'the swept groups to be gone');
      expect(readdirSync(stateDir).filter((entry) => entry.startsWith('jobhost-'))).toHaveLength(1); // the new host's own
    } finally {
      await next.dispose();
    }
    expect(readdirSync(stateDir)).toEqual([]);
  });

  it('leaves a live host’s groups alone, and a recorded pid that is now another process', async () => {
    const stateDir = join(tempDir(), 'state');
    const live = new JobHost({ root: tempDir(), stateDir, binaries: { forever: { path: fixture('forever.mjs') } } });
    const jobs = live.forOwner('p');
    const id = jobs.spawn({ label: 'f', binary: 'forever', args: [] });
    const started = await nextEvent(jobs, (event) => event.type === 'job_started' && event.job_id === id);
    const pid = started.type === 'job_started' ? (started.pid as number) : 0;
    // a record of a dead host naming a pid that is some other process now (a different start time)
    mkdirSync(join(stateDir, 'jobhost-999999-1-1'));
    writeFileSync(join(stateDir, 'jobhost-999999-1-1', String(pid)), `${pid} 1\n`);
    const next = new JobHost({ root: tempDir(), stateDir, binaries: {} });
    try {
      expect(next.containment.swept).toEqual([]);
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(join(stateDir, 'jobhost-999999-1-1'))).toBe(false);
    } finally {
      await next.dispose();
      await live.dispose();
    }
  });
});
