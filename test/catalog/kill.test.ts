import { describe, expect, it } from 'vitest';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import { isAlive } from '../helpers/host.js';
import { output, pushesOf, serve, untilEnded, waitFor, type Recorder } from './helpers.js';

function running(recorder: Recorder, runId: string): Promise<unknown> {
  return waitFor(recorder, () => pushesOf(recorder, runId).find((push) => push.status === 'running'), `run ${runId} running`);
}

describe('jobs.kill', () => {
  it('kills the own run: requested_at first, then killed with -1 once the process group is gone', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('forever');
    await waitFor(alice, () => (output(pushesOf(alice, runId)) === 'ready\n' ? true : undefined), 'ready');
    const requestedAt = await alice.client.kill(runId);
    expect(requestedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    const pushes = await untilEnded(alice, runId);
    expect(pushes.at(-1)).toEqual({ run_id: runId, status: 'killed', stdout_chunk: 'ready\n', exit_code: -1 });
    expect(pushes.map((push) => push.status)).toEqual(['running', 'running', 'killed']); // running, "ready\n", killed
    // the answer came before the killed push
    const answer = alice.messages.findIndex((message) => (message.result as { requested_at?: string } | undefined)?.requested_at === requestedAt);
    const killed = alice.messages.findIndex((message) => (message.params as { status?: string } | undefined)?.status === 'killed');
    expect(answer).toBeLessThan(killed);
  });

  it('leaves no process behind when the killed push arrives', async () => {
    const { connect, host } = await serve();
    const alice = await connect();
    const pids: number[] = [];
    host.forOwner('catalog').onEvent((event) => {
      if (event.type === 'job_started' && event.pid !== null) pids.push(event.pid);
    });
    const runId = await alice.client.execute('forever');
    await running(alice, runId);
    await alice.client.kill(runId);
    await untilEnded(alice, runId);
    expect(pids).toHaveLength(1);
    expect(isAlive(pids[0] as number)).toBe(false);
  });

  it("refuses another connection's run with Unauthorized, even for the same user and a subscriber", async () => {
    const { connect } = await serve();
    const alice = await connect('alice');
    const aliceAgain = await connect('alice');
    const bob = await connect('bob');
    await aliceAgain.client.subscribe();
    const runId = await alice.client.execute('forever');
    await running(alice, runId);
    await expect(aliceAgain.client.kill(runId)).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.Unauthorized, kind: 'Unauthorized' });
    await expect(bob.client.kill(runId)).rejects.toMatchObject({ kind: 'Unauthorized' });
    // still running: the refused kills changed nothing
    expect(pushesOf(alice, runId).map((push) => push.status)).not.toContain('killed');
    await alice.client.kill(runId);
    await untilEnded(aliceAgain, runId);
  });

  it("answers an unknown run exactly as another connection's, so kill is no oracle for which runs exist", async () => {
    const { connect } = await serve();
    const alice = await connect();
    const bob = await connect('bob');
    const theirs = await bob.client.execute('forever');
    await running(bob, theirs);
    const refusal = async (runId: string): Promise<unknown> => {
      await expect(alice.client.kill(runId)).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.Unauthorized, kind: 'Unauthorized' });
      return (alice.messages.at(-1) as { error: unknown }).error;
    };
    expect(await refusal('never-started')).toEqual({ code: -32000, message: 'Unauthorized', data: { kind: 'Unauthorized', detail: "run 'never-started' was not started on this connection" } });
    expect(await refusal(theirs)).toEqual({ code: -32000, message: 'Unauthorized', data: { kind: 'Unauthorized', detail: `run '${theirs}' was not started on this connection` } });
    await bob.client.kill(theirs);
    await untilEnded(bob, theirs);
    // once it has ended it still is not alice's
    expect(await refusal(theirs)).toMatchObject({ data: { detail: `run '${theirs}' was not started on this connection` } });
  });

  it('answers a kill of its own run that already ended with requested_at, and pushes nothing more', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('hello');
    const pushes = await untilEnded(alice, runId);
    await expect(alice.client.kill(runId)).resolves.toMatch(/Z$/);
    await alice.client.list();
    expect(pushesOf(alice, runId)).toHaveLength(pushes.length);
  });

  it('kills a run still queued behind the concurrency cap: no running push, killed -1 after the answer', async () => {
    const { connect } = await serve({ host: { maxConcurrent: 1 } });
    const alice = await connect();
    const first = await alice.client.execute('forever');
    await running(alice, first);
    const queued = await alice.client.execute('forever');
    await alice.client.kill(queued);
    const pushes = await untilEnded(alice, queued);
    expect(pushes).toEqual([{ run_id: queued, status: 'killed', exit_code: -1 }]);
    const list = await alice.client.list();
    expect(list.find((item) => item.id === 'forever')?.last_run).toMatchObject({ status: 'killed', exit_code: -1 });
    await alice.client.kill(first);
    await untilEnded(alice, first);
  });
});
