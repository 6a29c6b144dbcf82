import { execFile, spawn } from 'node:child_process';
import { closeSync, chmodSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/process/group.js';
import { JobHost } from '../../src/host/job-host.js';
import { collect, fixture, isAlive, linesOf, makeHost, nextEvent, tempDir, until } from '../helpers/host.js';
import type { JobHandle } from '../../src/host/job-handle.js';

async function grandchildOf(jobs: JobHandle, id: string): Promise<number> {
  const line = await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id);
  return Number(line.type === 'job_log_line' ? line.line.split(' ')[1] : NaN);
}

async function pidOf(jobs: JobHandle, id: string): Promise<number> {
  const started = await nextEvent(jobs, (event) => event.type === 'job_started' && event.job_id === id);
  return started.type === 'job_started' ? (started.pid as number) : NaN;
}

describe('killing whole process groups', () => {
  it('cancel kills the job and its grandchild before job_cancelled arrives', async () => {
    const jobs = makeHost().forOwner('p');
    const id = jobs.spawn({ label: 'g', binary: 'spawn-grandchild', args: [] });
    const pid = await pidOf(jobs, id);
    const grandchild = await grandchildOf(jobs, id);
    expect(isAlive(grandchild)).toBe(true);
    expect(jobs.cancel(id, 'user')).toBe(true);
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_cancelled', reason: 'user' });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
    expect(jobs.cancel(id)).toBe(false);
  });

  it("sh -c 'sleep 1000 & sleep 1000' leaves no process after cancel", async () => {
    const jobs = makeHost({ binaries: { sh: {} } }).forOwner('p');
    const id = jobs.spawn({ label: 'sh', binary: 'sh', args: ['-c', 'sleep 1000 & echo started; sleep 1000'] });
    const pid = await pidOf(jobs, id);
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id);
    expect(groupMembers(pid).length).toBeGreaterThanOrEqual(2);
    jobs.cancel(id);
    await jobs.wait(id);
    expect(groupMembers(pid)).toEqual([]);
  });

  it('a timeout cancels with "timeout after 1s" and kills the grandchild', async () => {
    const jobs = makeHost().forOwner('p');
    const id = jobs.spawn({ label: 'g', binary: 'spawn-grandchild', args: [], timeout_secs: 1 });
    const grandchild = await grandchildOf(jobs, id);
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_cancelled', reason: 'timeout after 1s' });
    expect(isAlive(grandchild)).toBe(false);
  });

  it('uses the host default timeout when the request says 0', async () => {
    const jobs = makeHost({ defaultTimeoutSecs: 1 }).forOwner('p');
    expect(await jobs.run({ label: 'f', binary: 'forever', args: [], timeout_secs: 0 })).toMatchObject({ reason: 'timeout after 1s' });
  });

  it('a child that ignores SIGTERM gets SIGTERM first, then SIGKILL after the grace', async () => {
    const jobs = makeHost({ killGraceMs: 300 }).forOwner('p');
    const events = collect(jobs);
    const id = jobs.spawn({ label: 'stubborn', binary: 'ignore-sigterm', args: [] });
    const pid = await pidOf(jobs, id);
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id);
    jobs.cancel(id);
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_cancelled' });
    expect(linesOf(events, id)).toContain('got SIGTERM, ignoring');
    expect(isAlive(pid)).toBe(false);
  });

  it('a grandchild left behind by a job that exits normally is killed before job_completed', async () => {
    const jobs = makeHost({ killGraceMs: 300 }).forOwner('p');
    const id = jobs.spawn({ label: 'g', binary: 'spawn-grandchild', args: ['exit'] });
    const grandchild = await grandchildOf(jobs, id);
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(isAlive(grandchild)).toBe(false);
  });

  it('dispose with 50 running jobs resolves only when every process is gone', async () => {
    const host = makeHost({ maxConcurrent: 50, binaries: { sh: {} } });
    const jobs = host.forOwner('p');
    const ids = Array.from({ length: 50 }, (_, n) => jobs.spawn({ label: `j${n}`, binary: 'sh', args: ['-c', 'sleep 1000 & echo up; sleep 1000'] }));
    const events = collect(jobs);
    await until(() => events.filter((event) => event.type === 'job_log_line').length === 50, 60_000, '50 jobs up');
    const pids = events.flatMap((event) => (event.type === 'job_started' ? [event.pid as number] : []));
    const started = jobs.drainEvents().filter((event) => event.type === 'job_started').length;
    expect(started).toBe(50);
    await host.dispose();
    for (const pid of pids) expect(groupMembers(pid)).toEqual([]);
    for (const id of ids) expect(jobs.status(id)).toEqual({ Cancelled: { reason: 'host disposed' } });
    expect(() => jobs.spawn({ label: 'late', binary: 'lines', args: [] })).toThrow(expect.objectContaining({ code: 'ERR_HOST_DISPOSED' }));
  }, 90_000);

  it('retries ETXTBSY: a binary still open for writing starts once the writer closes it', async () => {
    const dir = tempDir();
    const file = join(dir, 'fresh.mjs');
    // node by absolute path: the kernel executes the script itself (an env script runs through its pinned interpreter)
    writeFileSync(file, readFileSync(fixture('lines.mjs'), 'utf8').replace(/^#!.*\n/, `#!${process.execPath}\n`));
    chmodSync(file, 0o755);
    const host = new JobHost({ root: dir, binaries: { fresh: { path: file } } });
    try {
      const jobs = host.forOwner('p');
      const writer = openSync(file, 'r+');
      // the first attempt happens synchronously inside spawn(), while the file is open for writing
      const id = jobs.spawn({ label: 'f', binary: 'fresh', args: ['1'] });
      closeSync(writer);
      expect(await jobs.wait(id)).toMatchObject({ type: 'job_completed', exit_code: 0 });
      const stillBusy = openSync(file, 'r+');
      try {
        const terminal = await jobs.run({ label: 'f', binary: 'fresh', args: [] });
        expect(terminal.type === 'job_failed' && terminal.error).toMatch(/after 6 attempts: ETXTBSY/);
      } finally {
        closeSync(stillBusy);
      }
    } finally {
      await host.dispose();
    }
  });
});

describe('when the host process goes away', () => {
  const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');

  function runHost(mode: string): { child: ReturnType<typeof spawn>; pids: Promise<{ pid: number; grandchild: number }> } {
    const child = spawn(process.execPath, ['--import', tsx, fixture('host-exit.ts'), mode], { cwd: tempDir(), stdio: ['ignore', 'pipe', 'pipe'] });
    const pids = new Promise<{ pid: number; grandchild: number }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string) as { pid: number; grandchild: number });
      });
      child.once('exit', () => reject(new Error(`host exited before reporting pids: ${out}`)));
    });
    return { child, pids };
  }

  for (const mode of ['exit', 'throw', 'SIGTERM', 'SIGINT', 'SIGHUP']) {
    it(`kills every job's process group on ${mode}`, async () => {
      const { child, pids } = runHost(mode === 'exit' || mode === 'throw' ? mode : 'signal');
      const { pid, grandchild } = await pids;
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
      if (mode.startsWith('SIG')) child.kill(mode as NodeJS.Signals);
      const how = await exited;
      if (mode.startsWith('SIG')) expect(how).toBe(mode); // the default death is preserved
      await until(() => !isAlive(pid) && !isAlive(grandchild), 10_000, 'job processes to die');
    });
  }
});

void execFile;
