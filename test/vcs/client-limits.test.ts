import { chmodSync, closeSync, copyFileSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { isAlive, makeHost, tempDir, until } from '../helpers/host.js';
import { fixtureClient, rejection, vcsFixture } from './helpers.js';

/**
 * A working adapter whose file is still open for writing (an installer mid-copy): spawning it fails with
 * ETXTBSY until `fd` is closed. Its `#!` names node by absolute path, so the kernel executes the script
 * itself (an env script is started through its pinned interpreter, which is never open for writing).
 */
function adapterStillBeingWritten(): { file: string; fd: number } {
  const dir = tempDir();
  const file = join(dir, 'fresh.mjs');
  copyFileSync(vcsFixture('lib.mjs'), join(dir, 'lib.mjs'));
  const fd = openSync(file, 'w');
  writeSync(fd, readFileSync(vcsFixture('ok.mjs'), 'utf8').replace(/^#!.*\n/, `#!${process.execPath}\n`));
  chmodSync(file, 0o755);
  return { file, fd };
}

function grandchildOf(stderr: string): number {
  const match = /grandchild (\d+)/.exec(stderr);
  if (match === null) throw new Error(`no grandchild pid in ${JSON.stringify(stderr)}`);
  return Number(match[1]);
}

describe('VcsAdapterClient: timeouts, aborts, limits and the JobHost underneath', () => {
  it('a hanging adapter times out; its whole process group is gone when the call fails', async () => {
    const { host, client } = fixtureClient('hang', { timeoutMs: 20_000 });
    await client.handshake();
    // long enough for a loaded machine to start node and the grandchild before the deadline
    const error = await rejection(client.revisionId({ timeoutMs: 4000 }));
    expect(error).toMatchObject({ code: 'ERR_VCS_TIMEOUT', details: { reason: 'timeout after 4000 ms' } });
    expect(error.message).toContain('within 4000 ms');
    expect(isAlive(grandchildOf(error.stderr))).toBe(false);
    const job = host.forOwner('vcs').list().at(-1);
    expect(job?.status).toEqual({ Cancelled: { reason: 'timeout after 4000 ms' } });
  });

  it('an AbortSignal kills a running adapter', async () => {
    const { host, client } = fixtureClient('hang');
    await client.handshake();
    const controller = new AbortController();
    const jobs = host.forOwner('vcs');
    const call = client.revisionId({ signal: controller.signal });
    // abort once the adapter has said who its grandchild is, so there is a group to kill
    jobs.onEvent((event) => {
      if (event.type === 'job_log_line' && event.line.startsWith('grandchild')) controller.abort(new Error('user pressed stop'));
    });
    const error = await rejection(call);
    expect(error.code).toBe('ERR_VCS_ABORTED');
    expect(error.message).toContain('user pressed stop');
    expect(isAlive(grandchildOf(error.stderr))).toBe(false);
  });

  it('an already aborted signal spawns nothing', async () => {
    const { host, client } = fixtureClient('ok');
    await expect(client.revisionId({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_VCS_ABORTED' });
    expect(host.forOwner('vcs').list()).toEqual([]);
  });

  it('a first line beyond maxResponseBytes kills the adapter: ERR_VCS_RESPONSE_TOO_LARGE', async () => {
    const { client } = fixtureClient('huge', { maxResponseBytes: 256 * 1024 });
    const error = await rejection(client.revisionId());
    expect(error.code).toBe('ERR_VCS_RESPONSE_TOO_LARGE');
    expect(error.message).toContain(String(256 * 1024));
  });

  it('the default 4 MiB limit holds too', async () => {
    const { client } = fixtureClient('huge');
    await expect(client.revisionId()).rejects.toMatchObject({ code: 'ERR_VCS_RESPONSE_TOO_LARGE' });
  });

  it('an adapter that vanished after the host was built: ERR_VCS_POLICY, the JobHost refusing a changed binary', async () => {
    const dir = tempDir();
    const copy = join(dir, 'adapter.mjs');
    copyFileSync(vcsFixture('ok.mjs'), copy);
    copyFileSync(vcsFixture('lib.mjs'), join(dir, 'lib.mjs'));
    const host = makeHost({ binaries: { 'vcs-gone': { path: copy } } });
    const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'vcs-gone' });
    rmSync(copy);
    const error = await rejection(client.revisionId());
    expect(error).toMatchObject({ code: 'ERR_VCS_POLICY', method: 'handshake', details: { hostCode: 'ERR_BINARY_CHANGED' } });
    expect(error.message).toContain('ENOENT');
  });

  it('ETXTBSY is retried by the JobHost: an adapter still open for writing gives a clear error after the retries…', async () => {
    const { file, fd } = adapterStillBeingWritten();
    try {
      const host = makeHost({ binaries: { 'vcs-fresh': { path: file } } });
      const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'vcs-fresh' });
      const error = await rejection(client.handshake());
      expect(error.code).toBe('ERR_VCS_SPAWN_FAILED');
      expect(error.message).toMatch(/after \d+ attempts: ETXTBSY/);
    } finally {
      closeSync(fd);
    }
  });

  it('…and one closed while the retries run works', async () => {
    const { file, fd } = adapterStillBeingWritten();
    const host = makeHost({ binaries: { 'vcs-fresh': { path: file } } });
    const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'vcs-fresh' });
    const handshake = client.handshake();
    setImmediate(() => closeSync(fd)); // the installer finishes writing just after the first spawn attempt
    expect(await handshake).toMatchObject({ adapter_name: 'fixture' });
  });

  it('policy refusals by the JobHost arrive as ERR_VCS_POLICY with the JobHostError as cause', async () => {
    const { client } = fixtureClient('ok', { cwd: '/' });
    const outside = await rejection(client.revisionId());
    expect(outside).toMatchObject({ code: 'ERR_VCS_POLICY', details: { hostCode: 'ERR_CWD_OUTSIDE_ROOT' } });
    expect(outside.cause).toMatchObject({ name: 'JobHostError', code: 'ERR_CWD_OUTSIDE_ROOT' });
    const env = fixtureClient('ok', { env: { LD_PRELOAD: '/tmp/evil.so' } }).client;
    const denied = await rejection(env.revisionId());
    expect(denied.code).toBe('ERR_VCS_POLICY');
    expect(denied.cause).toMatchObject({ code: 'ERR_ENV_REFUSED' });
  });

  it('a host disposed mid-call: ERR_VCS_CANCELLED with the reason', async () => {
    const { host, client } = fixtureClient('hang');
    await client.handshake();
    const call = client.revisionId();
    await until(() => host.forOwner('vcs').list().some((job) => job.label.endsWith('revision_id') && typeof job.status === 'object' && 'Running' in job.status));
    const disposed = host.dispose();
    await expect(call).rejects.toMatchObject({ code: 'ERR_VCS_CANCELLED', details: { reason: 'host disposed' } });
    await disposed;
  });

  it('calls queue behind the host’s maxConcurrent; the timeout counts from the call, so a queued call can time out', async () => {
    const { client } = fixtureClient('hang', { hostOptions: { maxConcurrent: 1 } });
    await client.handshake();
    const first = client.revisionId({ timeoutMs: 1500 });
    const second = client.revisionId({ timeoutMs: 200 });
    const queued = await rejection(second);
    expect(queued.code).toBe('ERR_VCS_TIMEOUT');
    expect(queued.message).toContain('never started');
    await expect(first).rejects.toMatchObject({ code: 'ERR_VCS_TIMEOUT' });
  });
});
