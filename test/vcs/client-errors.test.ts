import { describe, expect, it } from 'vitest';
import { VCS_ADAPTER_ERROR_CODES, VcsAdapterError } from '../../src/vcs/errors.js';
import { fixtureClient, rejection } from './helpers.js';

const COMMIT = { goal_id: 'g1', goal_title: 'T', message: 'msg', changed_files: ['a'] };

describe('VcsAdapterClient: every way an adapter can misbehave has its own code', () => {
  it("{ok:false} + exit 1: the adapter's own message, not its stderr (TA reports only stderr)", async () => {
    const { client } = fixtureClient('error-envelope');
    const error = await rejection(client.commit(COMMIT));
    expect(error).toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', message: 'p4 not found', adapterMessage: 'p4 not found', exitCode: 1, adapter: 'vcs-error-envelope', method: 'commit' });
    expect(error.stderr).toBe('some diagnostic on stderr');
    expect(error.jobId).toMatch(/^vcs:\d+$/);
    expect(error instanceof VcsAdapterError).toBe(true);
  });

  it('{ok:false} + exit 0 (what TA\'s adapters do): the same code and message, only exitCode differs', async () => {
    const { client } = fixtureClient('error-envelope', { args: ['0'] });
    await expect(client.commit(COMMIT)).rejects.toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', message: 'p4 not found', adapterMessage: 'p4 not found', exitCode: 0 });
  });

  it('non-zero exit without an envelope: the tail of stderr', async () => {
    const { client } = fixtureClient('stderr-exit');
    const error = await rejection(client.revisionId());
    expect(error).toMatchObject({ code: 'ERR_VCS_EXIT', exitCode: 3, adapterMessage: null });
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('fatal: not a fixture repository');
    expect(error.message).not.toContain('trace line 10'); // only the last few lines in the message…
    expect(error.stderr).toContain('trace line 1\n'); // …the whole (bounded) tail on the error
  });

  it('keeps only the configured tail of stderr', async () => {
    const { client } = fixtureClient('stderr-exit', { stderrTailChars: 64 });
    const error = await rejection(client.revisionId());
    expect(error.stderr.length).toBeLessThanOrEqual(64);
    expect(error.stderr.endsWith('fatal: not a fixture repository')).toBe(true);
  });

  it('no output, or an empty first line: ERR_VCS_NO_OUTPUT', async () => {
    const silent = fixtureClient('silent').client;
    const error = await rejection(silent.revisionId());
    expect(error).toMatchObject({ code: 'ERR_VCS_NO_OUTPUT', exitCode: 0 });
    expect(error.message).toContain('I have nothing to say');
    const blank = fixtureClient('silent', { args: ['blank'] }).client;
    await expect(blank.revisionId()).rejects.toMatchObject({ code: 'ERR_VCS_NO_OUTPUT' });
  });

  it('garbage, or JSON that is not an envelope: ERR_VCS_MALFORMED_RESPONSE quoting the line', async () => {
    const text = await rejection(fixtureClient('garbage').client.revisionId());
    expect(text).toMatchObject({ code: 'ERR_VCS_MALFORMED_RESPONSE' });
    expect(text.message).toContain('"Everything is fine, trust me"');
    const json = await rejection(fixtureClient('garbage', { args: ['json'] }).client.revisionId());
    expect(json).toMatchObject({ code: 'ERR_VCS_MALFORMED_RESPONSE' });
    expect(json.message).toContain('ok');
  });

  it('a result that breaks the schema: ERR_VCS_INVALID_RESULT with the first fault, as serde_json reports it', async () => {
    const error = await rejection(fixtureClient('bad-result').client.commit(COMMIT));
    expect(error.code).toBe('ERR_VCS_INVALID_RESULT');
    expect(error.message).toContain('commit_id:');
    // the result is wrong in three places; like serde, the client stops at the first
    expect(error.message).not.toContain('metadata.n:');
    expect(error.details).toMatchObject({ issues: [{ path: ['commit_id'] }] });
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(1);
  });

  it('another protocol version: refused at the handshake, with both versions', async () => {
    const { host, client } = fixtureClient('protocol-2');
    const error = await rejection(client.revisionId());
    expect(error).toMatchObject({ code: 'ERR_VCS_PROTOCOL_VERSION', method: 'handshake', details: { expected: 1, actual: 2 } });
    expect(error.message).toContain('protocol version 2');
    expect(error.message).toContain('version 1');
    expect(client.capabilities).toBeUndefined();
    // a failed handshake is not cached: the next call tries again
    await expect(client.revisionId()).rejects.toMatchObject({ code: 'ERR_VCS_PROTOCOL_VERSION' });
    expect(host.forOwner('vcs').list().map((job) => job.label)).toEqual(['vcs vcs-protocol-2 handshake', 'vcs vcs-protocol-2 handshake']);
  });

  it('death by a signal: ERR_VCS_CRASHED with the signal and stderr', async () => {
    const error = await rejection(fixtureClient('crash').client.revisionId());
    expect(error).toMatchObject({ code: 'ERR_VCS_CRASHED', exitCode: null, details: { signal: 'SIGKILL' } });
    expect(error.message).toContain('SIGKILL');
    expect(error.message).toContain('about to fall over');
  });

  it('every code has a description', () => {
    for (const description of Object.values(VCS_ADAPTER_ERROR_CODES)) expect(description.length).toBeGreaterThan(10);
  });
});
