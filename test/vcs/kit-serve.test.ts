import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { makeHost, tempDir } from '../helpers/host.js';
import { rejection, vcsFixture } from './helpers.js';

const KIT = vcsFixture('kit-adapter.mjs');

/** Runs the kit fixture as a plain process: all of stdout, stderr, and the exit code. */
function runKit(input: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(KIT, [], { cwd: tempDir(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

describe('serveVcsAdapter: one request in, exactly one line out, as a real process', () => {
  it('a handler that prints with console.log and process.stdout.write still answers one clean line', async () => {
    const { stdout, stderr, code } = await runKit('{"method":"revision_id","params":{}}\n');
    expect(stdout).toBe('{"ok":true,"result":{"revision_id":"abc123"}}\n');
    expect(code).toBe(0);
    for (const noise of ['printed before serveVcsAdapter', 'noise from console.log', 'noise from console.info', "noise: 'console.dir'", 'noise from process.stdout.write']) {
      expect(stderr).toContain(noise);
    }
  });

  it("a throwing handler: one error envelope, its text on stderr too, exit 0 (as TA's adapters)", async () => {
    const { stdout, code, stderr } = await runKit('{"method":"commit","params":{"goal_id":"g1","goal_title":"t","message":"m","changed_files":[]}}\n');
    expect(stdout).toBe('{"ok":false,"result":null,"error":"cannot commit g1"}\n');
    expect(stderr).toContain('about to fail');
    expect(stderr).toContain('[kit-fixture] commit: cannot commit g1\n');
    expect(code).toBe(0);
  });

  it('an unknown method: an error envelope, exit 0; garbage or no input: an error envelope, exit 1; the text on stderr each time', async () => {
    for (const [input, exit] of [['garbage\n', 1], ['', 1], ['{"method":"nope","params":{}}', 0]] as const) {
      const { stdout, stderr, code } = await runKit(input);
      expect(stdout.split('\n')).toHaveLength(2);
      const { error } = JSON.parse(stdout) as { error: string };
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, result: null });
      expect(stderr).toContain(`${error}\n`);
      expect(stderr).toMatch(/^\[kit-fixture\]/m);
      expect(code).toBe(exit);
    }
  });

  it('exits right after answering even when a handler leaked a timer', async () => {
    const { stdout, code } = await runKit('{"method":"exclude_patterns","params":{}}\n');
    expect(stdout).toBe('{"ok":true,"result":{"patterns":[".kit/"]}}\n');
    expect(code).toBe(0);
  });

  it('works end to end through the client', async () => {
    const host = makeHost({ binaries: { 'vcs-kit': { path: KIT } } });
    const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'vcs-kit' });
    expect(await client.handshake()).toEqual({
      plugin_version: '1.2.3',
      protocol_version: 1,
      adapter_name: 'kit-fixture',
      capabilities: ['exclude_patterns', 'commit', 'push', 'revision_id', 'verify_target'],
    });
    expect(await client.revisionId()).toEqual({ revision_id: 'abc123' });
    await expect(client.verifyTarget()).resolves.toBeUndefined();
    const failed = await rejection(client.commit({ goal_id: 'g1', goal_title: 't', message: 'm', changed_files: [] }));
    expect(failed).toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', message: 'cannot commit g1', exitCode: 0 });
    const bug = await rejection(client.push({ goal_id: 'g' }));
    expect(bug.message).toMatch(/^adapter bug: the push handler returned an invalid result: remote_ref: /);
  });
});
