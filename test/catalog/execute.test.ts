import { describe, expect, it } from 'vitest';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import type { CatalogManifestInput } from '../../src/catalog/manifests/manifest.js';
import { ending, MANIFESTS, output, pushesOf, serve, untilEnded, waitFor, type Recorder } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Index of the first message matching `predicate` in what `recorder` received. */
function indexOf(recorder: Recorder, predicate: (message: Record<string, unknown>) => boolean): number {
  return recorder.messages.findIndex(predicate);
}

describe('jobs.execute', () => {
  it('answers a fresh run id at once, then pushes running, the output in order, and the terminal push last', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('hello');
    expect(runId).toMatch(UUID);
    const pushes = await untilEnded(alice, runId);
    expect(pushes[0]).toEqual({ run_id: runId, status: 'running' });
    // the terminal push re-sends each stream's whole output, as kanade's does
    expect(pushes.at(-1)).toEqual({ run_id: runId, status: 'completed', stdout_chunk: 'line 1\nline 2\nline 3\n', stderr_chunk: 'err 1\n', exit_code: 0 });
    expect(output(pushes)).toBe('line 1\nline 2\nline 3\n');
    expect(output(pushes, 'stderr')).toBe('err 1\n');
    // the answer came before any push of the run
    const answered = indexOf(alice, (message) => (message.result as { run_id?: string } | undefined)?.run_id === runId);
    const firstPush = indexOf(alice, (message) => (message.params as { run_id?: string } | undefined)?.run_id === runId);
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(answered).toBeLessThan(firstPush);
    // nothing after the terminal push: a round trip later, the run's pushes are unchanged
    await alice.client.list();
    expect(pushesOf(alice, runId)).toHaveLength(pushes.length);
    // chunk pushes carry no exit code; absent fields are absent keys
    for (const push of pushes.slice(0, -1)) expect('exit_code' in push).toBe(false);
    expect(JSON.stringify(alice.messages)).not.toContain('null');
  });

  it('mints a different run id per execute and runs them side by side', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const [first, second] = await Promise.all([alice.client.execute('hello'), alice.client.execute('hello')]);
    expect(first).not.toBe(second);
    await untilEnded(alice, first);
    await untilEnded(alice, second);
    expect(output(pushesOf(alice, second))).toBe('line 1\nline 2\nline 3\n');
  });

  it('reports a non-zero exit as failed with its exit code and stderr', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('fail');
    const pushes = await untilEnded(alice, runId);
    expect(pushes.at(-1)).toEqual({ run_id: runId, status: 'failed', stderr_chunk: 'boom\n', exit_code: 3 });
    expect(output(pushes, 'stderr')).toBe('boom\n');
  });

  it('reports a timeout as failed with exit code -1 and says why', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('short-timeout');
    const pushes = await untilEnded(alice, runId);
    // the note is in the terminal push, which kanade's Client App shows in place of what it streamed
    expect(ending(pushes.at(-1))).toEqual({ run_id: runId, status: 'failed', exit_code: -1 });
    expect(pushes.at(-1)?.stderr_chunk).toContain('[jobhost] cancelled: timeout after 1s');
  });

  it('reports the host being disposed as failed with exit code -1 and says why', async () => {
    const { connect, host } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('forever');
    await waitFor(alice, () => pushesOf(alice, runId).find((push) => push.status === 'running'), 'running');
    const disposed = host.dispose();
    const pushes = await untilEnded(alice, runId);
    expect(ending(pushes.at(-1))).toEqual({ run_id: runId, status: 'failed', exit_code: -1 });
    expect(pushes.at(-1)?.stderr_chunk).toBe('[jobhost] cancelled: host disposed\n');
    await disposed;
    await expect(alice.client.execute('hello')).rejects.toMatchObject({ kind: 'InternalError', detail: expect.stringMatching(/^jobs\.execute: ERR_HOST_DISPOSED: /) as unknown });
  });

  it('refuses an unknown id with NotFound and a non-invokable one with Unauthorized', async () => {
    const { connect } = await serve();
    const alice = await connect();
    // kanade's words: ids quoted with single quotes, as they came
    await expect(alice.client.execute('nope')).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.NotFound, kind: 'NotFound', detail: "job 'nope' not found" });
    await expect(alice.client.execute('hidden')).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.Unauthorized, kind: 'Unauthorized' });
    const raw = alice.messages.at(-1) as { error: { data: { detail: string } } };
    expect(raw.error.data.detail).toBe("job 'hidden' is not user-invokable (no client: block)");
    // an id kanade could never have: InvalidParams, as kanade answers it
    await expect(alice.client.execute('no such job')).rejects.toMatchObject({
      kind: 'InvalidParams',
      detail: "job id 'no such job' is not a valid job id (expected [A-Za-z0-9_.-])",
    });
  });

  it('re-reads the manifests at execute time: turning user_invokable off takes effect on the next call', async () => {
    const manifests: CatalogManifestInput[] = MANIFESTS.map((manifest) => ({ ...manifest }));
    const { connect } = await serve({ manifests: () => manifests });
    const alice = await connect();
    await untilEnded(alice, await alice.client.execute('hello'));
    (manifests[0] as { user_invokable: boolean }).user_invokable = false;
    await expect(alice.client.execute('hello')).rejects.toMatchObject({ kind: 'Unauthorized' });
    expect((await alice.client.list()).map((item) => item.id)).not.toContain('hello');
  });

  it('answers a JobHost policy refusal with InternalError carrying the JobHost code', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const failure = await alice.client.execute('not-allowed').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.InternalError, kind: 'InternalError' });
    expect((failure as { detail: string }).detail).toMatch(/^jobs\.execute: ERR_BINARY_NOT_ALLOWED: Binary "rm" is not allow-listed/);
  });

  it('a catalog owner created with limited binaries runs only those; other manifests fail like a policy refusal', async () => {
    const { connect } = await serve({ ownerBinaries: ['lines'] });
    const alice = await connect();
    await untilEnded(alice, await alice.client.execute('hello'));
    const failure = await alice.client.execute('fail').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.InternalError, kind: 'InternalError' });
    // `exit` is allow-listed on the host, but not for the catalog's owner: it hears only of `lines`
    expect((failure as { detail: string }).detail).toMatch(/^jobs\.execute: ERR_BINARY_NOT_ALLOWED: Binary "exit" is not allow-listed \(allowed: lines\)$/);
  });

  it('answers a full JobHost queue with RateLimit', async () => {
    const { connect } = await serve({ host: { maxJobsPerOwner: 1 } });
    const alice = await connect();
    const runId = await alice.client.execute('forever');
    await expect(alice.client.execute('forever')).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.RateLimit, kind: 'RateLimit' });
    await alice.client.kill(runId);
    await waitFor(alice, () => pushesOf(alice, runId).find((push) => push.status === 'killed'), 'the kill');
  });
});
