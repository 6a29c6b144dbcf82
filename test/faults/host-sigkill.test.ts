/**
 * Fault: the host process itself is killed with SIGKILL. Nothing can clean
 * up then: SIGKILL runs no handler, no `exit` event, no finally block — so
 * jobhost's exit cleanup (which covers exit, uncaught exceptions, SIGINT,
 * SIGTERM and SIGHUP; see test/host/kill.test.ts) never runs, and the
 * kernel does not kill a dead parent's children: they are reparented to
 * init (or the nearest subreaper). Every job runs in its own session and
 * process group (`detached`), so it does not even get the terminal's
 * SIGHUP. This test shows that the job's group survives, deterministically,
 * and then kills it itself.
 *
 * What a host application can do about it: run under a supervisor that
 * kills the whole cgroup (systemd's KillMode=control-group, a container),
 * or have jobs notice the host is gone (EOF on stdin, EPIPE on stdout).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/process/group.js';
import { fixture, isAlive, tempDir } from '../helpers/host.js';
import { killAfterTest } from './helpers.js';

describe('the host process SIGKILLed', () => {
  it("leaves its jobs' process groups running: a kernel limit, not something jobhost can fix from inside", async () => {
    const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
    // host-exit.ts starts a job that leaves a grandchild, reports both pids, and waits to be signalled
    const host = spawn(process.execPath, ['--import', tsx, fixture('host-exit.ts'), 'signal'], { cwd: tempDir(), stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<{ pid: number; grandchild: number }>((resolve, reject) => {
      let out = '';
      host.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as { pid: number; grandchild: number });
      });
      host.once('exit', () => reject(new Error(`the host exited before reporting its job: ${out}`)));
    });
    killAfterTest(pids.pid, { group: true });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => host.once('exit', (_code, signal) => resolve(signal)));

    host.kill('SIGKILL');

    expect(await exited).toBe('SIGKILL');
    // the host is gone (and reaped); its job and the job's grandchild are not
    expect(isAlive(pids.pid)).toBe(true);
    expect(isAlive(pids.grandchild)).toBe(true);
    expect(groupMembers(pids.pid).sort()).toEqual([pids.pid, pids.grandchild].sort());
  });
});
