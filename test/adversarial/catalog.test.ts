/**
 * A hostile client on the catalog socket, at the protocol level: killing
 * another connection's or another user's run, guessed and prototype-named ids,
 * wrong types in every member, method names off `Object.prototype`, requests
 * as responses, subscription and execute floods. Guarantee: kanade's error
 * kind for each (Unauthorized, NotFound, InvalidParams, InvalidRequest,
 * MethodNotFound, RateLimit) or no answer where JSON-RPC says so, nothing
 * starts that should not, the victim's run carries on, and the connection
 * keeps serving.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useCatalog, type Answer, type RawClient } from './catalog-client.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel({ maxJobsPerOwner: 3 });
const catalog = useCatalog(sentinel);

let victim: RawClient;
let victimRun = '';
let attacker: RawClient;
let sameUser: RawClient;
let otherUser: RawClient;
let counter = 0;

/** Sends a request and waits for its answer (by id). */
async function call(client: RawClient, method: unknown, params?: unknown): Promise<Answer> {
  const id = `r${++counter}`;
  client.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
  return client.next((answer) => answer.id === id);
}

function started(from: number): string[] {
  return sentinel().events.slice(from).flatMap(([event]) => (event.type === 'job_started' ? [event.job_id] : []));
}

beforeAll(async () => {
  victim = await catalog().connect('ndjson', 'alice');
  const answer = await call(victim, 'jobs.execute', { id: 'forever' });
  victimRun = (answer.result as { run_id: string }).run_id;
  await victim.next((push) => push.method === 'jobs.progress' && (push.params as { status: string }).status === 'running');
  sameUser = await catalog().connect('ndjson', 'alice');
  otherUser = await catalog().connect('ndjson', 'bob');
  attacker = sameUser;
});

/** The victim's run is still in flight and the attacker's connection still serves. */
async function intact(client: RawClient, from: number): Promise<void> {
  expect(catalog().catalog.activeRuns).toBeGreaterThanOrEqual(1);
  expect(victim.answers.filter((push) => push.method === 'jobs.progress' && (push.params as { run_id: string; status: string }).run_id === victimRun && (push.params as { status: string }).status !== 'running')).toEqual([]);
  expect(started(from)).toEqual([]);
  await client.stillServes();
  await sentinel().serves('after-catalog');
}

const CASES: readonly { name: string; client: () => RawClient; method: unknown; params?: () => unknown; kind: string }[] = [
  { name: "jobs.kill of another connection's run (same user)", client: () => sameUser, method: 'jobs.kill', params: () => ({ run_id: victimRun }), kind: 'Unauthorized' },
  { name: "jobs.kill of another user's run", client: () => otherUser, method: 'jobs.kill', params: () => ({ run_id: victimRun }), kind: 'Unauthorized' },
  // kanade answers a kill of any run this connection did not start alike, so kill is no oracle for run ids
  { name: 'jobs.kill of a guessed UUID', client: () => attacker, method: 'jobs.kill', params: () => ({ run_id: '00000000-0000-4000-8000-000000000000' }), kind: 'Unauthorized' },
  { name: 'jobs.kill of the run id upper-cased', client: () => attacker, method: 'jobs.kill', params: () => ({ run_id: victimRun.toUpperCase() }), kind: 'Unauthorized' },
  { name: 'jobs.kill of __proto__', client: () => attacker, method: 'jobs.kill', params: () => ({ run_id: '__proto__' }), kind: 'Unauthorized' },
  { name: 'jobs.kill of constructor', client: () => attacker, method: 'jobs.kill', params: () => ({ run_id: 'constructor' }), kind: 'Unauthorized' },
  { name: 'jobs.kill with run_id a number', client: () => attacker, method: 'jobs.kill', params: () => ({ run_id: 1 }), kind: 'InvalidParams' },
  { name: 'jobs.kill with run_id an array of the id', client: () => otherUser, method: 'jobs.kill', params: () => ({ run_id: [victimRun] }), kind: 'InvalidParams' },
  { name: 'jobs.kill without params', client: () => attacker, method: 'jobs.kill', kind: 'InvalidParams' },
  { name: "jobs.unsubscribe of a subscription id it never got", client: () => attacker, method: 'jobs.unsubscribe', params: () => ({ subscription: victimRun }), kind: 'NotFound' },
  { name: 'jobs.execute of a non-invokable job', client: () => attacker, method: 'jobs.execute', params: () => ({ id: 'hidden' }), kind: 'Unauthorized' },
  { name: 'jobs.execute of an unknown job', client: () => attacker, method: 'jobs.execute', params: () => ({ id: 'rm-rf' }), kind: 'NotFound' },
  { name: 'jobs.execute of __proto__', client: () => attacker, method: 'jobs.execute', params: () => ({ id: '__proto__' }), kind: 'NotFound' },
  { name: 'jobs.execute of constructor', client: () => attacker, method: 'jobs.execute', params: () => ({ id: 'constructor' }), kind: 'NotFound' },
  // a job id outside kanade's [A-Za-z0-9_.-] is refused as its params
  { name: 'jobs.execute of ../hello', client: () => attacker, method: 'jobs.execute', params: () => ({ id: '../hello' }), kind: 'InvalidParams' },
  { name: 'jobs.execute of HELLO', client: () => attacker, method: 'jobs.execute', params: () => ({ id: 'HELLO' }), kind: 'NotFound' },
  { name: "jobs.execute of 'hello ' (trailing space)", client: () => attacker, method: 'jobs.execute', params: () => ({ id: 'hello ' }), kind: 'InvalidParams' },
  { name: 'jobs.execute with id a number', client: () => attacker, method: 'jobs.execute', params: () => ({ id: 1 }), kind: 'InvalidParams' },
  { name: 'jobs.execute with id null', client: () => attacker, method: 'jobs.execute', params: () => ({ id: null }), kind: 'InvalidParams' },
  { name: 'jobs.execute with id an object', client: () => attacker, method: 'jobs.execute', params: () => ({ id: { toString: 'hello' } }), kind: 'InvalidParams' },
  { name: 'jobs.execute with params an array of a number', client: () => attacker, method: 'jobs.execute', params: () => [1], kind: 'InvalidParams' },
  { name: 'jobs.execute with two elements in the array form', client: () => attacker, method: 'jobs.execute', params: () => ['hello', 'extra'], kind: 'InvalidParams' },
  { name: 'jobs.list with category a number', client: () => attacker, method: 'jobs.list', params: () => ({ category: 7 }), kind: 'InvalidParams' },
  { name: 'method __proto__', client: () => attacker, method: '__proto__', kind: 'MethodNotFound' },
  { name: 'method constructor', client: () => attacker, method: 'constructor', kind: 'MethodNotFound' },
  { name: 'method hasOwnProperty', client: () => attacker, method: 'hasOwnProperty', kind: 'MethodNotFound' },
  { name: 'jobs.progress sent as a request', client: () => attacker, method: 'jobs.progress', params: () => ({ run_id: victimRun, status: 'killed' }), kind: 'MethodNotFound' },
  { name: 'method a number', client: () => attacker, method: 42, kind: 'InvalidRequest' },
  { name: 'method null', client: () => attacker, method: null, kind: 'InvalidRequest' },
  { name: 'params a string', client: () => attacker, method: 'jobs.list', params: () => 'all', kind: 'InvalidRequest' },
  { name: 'params true', client: () => attacker, method: 'jobs.list', params: () => true, kind: 'InvalidRequest' },
];

describe('catalog: a hostile client', () => {
  it.each(CASES)('$name → $kind', async ({ client, method, params, kind }) => {
    const from = sentinel().events.length;
    const answer = await call(client(), method, params?.());
    expect(answer.error?.data.kind).toBe(kind);
    await intact(client(), from);
  });

  it.each([
    ['an object', { run: 1 }],
    ['an array', [1]],
    ['true', true],
    ['an empty object', {}],
  ])('an id that is %s → InvalidRequest answered with id null', async (_name, id) => {
    const from = attacker.answers.length;
    attacker.send({ jsonrpc: '2.0', id, method: 'jobs.list' });
    const answer = await attacker.next((candidate) => candidate.error !== undefined, from);
    expect(answer.id).toBeNull();
    expect(answer.error?.data.kind).toBe('InvalidRequest');
    await intact(attacker, sentinel().events.length);
  });

  it('responses and a kill notification from the client get no answer, and kill nothing', async () => {
    const from = attacker.answers.length;
    const events = sentinel().events.length;
    attacker.send({ jsonrpc: '2.0', id: 'x', result: { run_id: victimRun } });
    attacker.send({ jsonrpc: '2.0', id: 'y', error: { code: -1, message: 'nope' } });
    attacker.send({ jsonrpc: '2.0', method: 'jobs.kill', params: { run_id: victimRun } });
    await attacker.stillServes();
    expect(attacker.answers.slice(from).filter((answer) => !(typeof answer.id === 'string' && answer.id.startsWith('probe-')))).toEqual([]);
    await intact(attacker, events);
  });

  it('17 subscriptions on one connection → RateLimit for the 17th', async () => {
    const client = await catalog().connect('ndjson', 'bob');
    for (let i = 0; i < 16; i++) expect((await call(client, 'jobs.subscribe', {})).result).toHaveProperty('subscription');
    expect((await call(client, 'jobs.subscribe', {})).error?.data.kind).toBe('RateLimit');
    await intact(client, sentinel().events.length);
  });

  it("a subscription of another user sees none of the victim's runs", async () => {
    const client = await catalog().connect('ndjson', 'bob');
    await call(client, 'jobs.subscribe', {});
    await client.stillServes();
    expect(client.answers.filter((answer) => answer.method === 'jobs.progress')).toEqual([]);
  });

  it('an execute flood beyond the catalog owner’s bound → RateLimit, and the run after the flood drains is served', async () => {
    const client = await catalog().connect('ndjson', 'bob');
    const runs: string[] = [];
    const kinds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await call(client, 'jobs.execute', { id: 'forever' });
      if (answer.error === undefined) runs.push((answer.result as { run_id: string }).run_id);
      else kinds.push(answer.error.data.kind);
    }
    // the victim's run holds one of the catalog owner's three places
    expect(runs).toHaveLength(2);
    expect(kinds).toEqual(Array.from({ length: 8 }, () => 'RateLimit'));
    for (const run of runs) expect((await call(client, 'jobs.kill', { run_id: run })).result).toHaveProperty('requested_at');
    for (const run of runs) await client.next((push) => push.method === 'jobs.progress' && (push.params as { run_id: string; status: string }).run_id === run && (push.params as { status: string }).status === 'killed');
    const after = await call(client, 'jobs.execute', { id: 'hello' });
    const runId = (after.result as { run_id: string }).run_id;
    const end = await client.next((push) => push.method === 'jobs.progress' && (push.params as { run_id: string; status: string }).run_id === runId && (push.params as { status: string }).status === 'completed');
    expect(end.params).toMatchObject({ exit_code: 0 });
  });

  it('a burst of 1000 pipelined requests is answered in order', async () => {
    const client = await catalog().connect('ndjson', 'bob');
    const from = client.answers.length;
    client.write(Array.from({ length: 1000 }, (_, i) => `${JSON.stringify({ jsonrpc: '2.0', id: i, method: 'jobs.list', params: {} })}\n`).join(''));
    await client.next((answer) => answer.id === 999, from);
    expect(client.answers.slice(from).map((answer) => answer.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    await intact(client, sentinel().events.length);
  });

  it('finally, the victim kills its own run: only its connection could', async () => {
    const answer = await call(victim, 'jobs.kill', { run_id: victimRun });
    expect(answer.result).toHaveProperty('requested_at');
    await victim.next((push) => push.method === 'jobs.progress' && (push.params as { run_id: string; status: string }).run_id === victimRun && (push.params as { status: string }).status === 'killed');
  });
});
