/**
 * Another owner's job ids: exact, altered, guessed, of every JavaScript type,
 * through every verb (status, cancel, wait, list, drain, cancelAll); forged
 * events; bad owner ids; a plugin listener re-entering the host; hostile
 * cancel reasons. Guarantee: another owner's id behaves exactly like an
 * unknown one (undefined / false / ERR_UNKNOWN_JOB, never a synchronous
 * throw), the victim's job is untouched, nothing starts, and both owners are
 * served afterwards. An owner limited to some binaries reaches no other,
 * whatever name it tries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { JobEvent as JobEventSchema, isTerminalEvent } from '../../src/contracts/jobs.js';
import { JobHostError } from '../../src/errors.js';
import { collect, makeHost, nextEvent } from '../helpers/host.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel();
const VICTIM = 'alice';
const ATTACKER = 'mallory';
let running = '';
let finished = '';

beforeAll(async () => {
  const s = sentinel();
  const alice = s.host.forOwner(VICTIM);
  ({ id: finished } = await s.run(VICTIM, { label: 'finished', binary: 'echo', args: ['done'] }));
  running = alice.spawn({ label: 'running', binary: 'forever', args: [] });
  s.minted(VICTIM, running);
  await nextEvent(alice, (event) => event.type === 'job_log_line' && event.job_id === running && event.line === 'ready');
});

function victimIntact(): void {
  const alice = sentinel().host.forOwner(VICTIM);
  const status = alice.status(running);
  expect(typeof status === 'object' && 'Running' in status).toBe(true);
  expect(alice.status(finished)).toEqual({ Completed: { exit_code: 0 } });
}

/** Ids mallory might try, built lazily (the victim's ids exist only once the file's setup ran). */
const IDS: readonly { name: string; id: () => unknown }[] = [
  { name: "the victim's running job, exact", id: () => running },
  { name: "the victim's finished job, exact", id: () => finished },
  { name: 'with a trailing space', id: () => `${running} ` },
  { name: 'with a leading space', id: () => ` ${running}` },
  { name: 'upper-cased owner', id: () => running.toUpperCase() },
  { name: 'zero-padded number', id: () => running.replace(':', ':0') },
  { name: 'plus sign', id: () => running.replace(':', ':+') },
  { name: 'NUL appended', id: () => `${running}\0` },
  { name: 'newline appended', id: () => `${running}\n` },
  { name: 'a wildcard', id: () => `${VICTIM}:*` },
  { name: 'empty string', id: () => '' },
  { name: '__proto__', id: () => '__proto__' },
  { name: 'constructor', id: () => 'constructor' },
  { name: 'toString', id: () => 'toString' },
  { name: "the attacker's own id not minted yet", id: () => `${ATTACKER}:9999` },
  { name: 'a number', id: () => 1 },
  { name: 'null', id: () => null },
  { name: 'undefined', id: () => undefined },
  { name: 'an object whose toString is the id', id: () => ({ toString: () => running }) },
  { name: 'an array holding the id', id: () => [running] },
  { name: 'a Symbol', id: () => Symbol(running) },
  { name: 'a BigInt', id: () => 1n },
  { name: 'a cyclic object', id: () => { const cyclic: Record<string, unknown> = {}; cyclic.self = cyclic; return cyclic; } },
];

describe("ownership: another owner's ids", () => {
  it.each(IDS)('$name: status undefined, cancel false, wait rejects ERR_UNKNOWN_JOB', async ({ id }) => {
    const s = sentinel();
    const mallory = s.host.forOwner(ATTACKER);
    const before = s.events.length;
    const value = id() as string;
    expect(mallory.status(value)).toBeUndefined();
    expect(mallory.cancel(value, 'mine now')).toBe(false);
    let waited: Promise<unknown> | undefined;
    expect(() => (waited = mallory.wait(value))).not.toThrow();
    await expect(waited).rejects.toSatisfy((error: unknown) => error instanceof JobHostError && error.code === 'ERR_UNKNOWN_JOB');
    expect(s.events.slice(before)).toEqual([]);
    victimIntact();
    await s.serves(ATTACKER);
  });
});

describe("ownership: the attacker's view", () => {
  it("list() shows none of the victim's jobs", async () => {
    const ids = sentinel().host.forOwner(ATTACKER).list().map((job) => job.id);
    expect(ids.every((id) => id.startsWith(`${ATTACKER}:`))).toBe(true);
    await sentinel().serves(ATTACKER);
  });

  it("drainEvents() holds none of the victim's events", async () => {
    const events = sentinel().host.forOwner(ATTACKER).drainEvents();
    expect(events.filter((event) => !event.job_id.startsWith(`${ATTACKER}:`))).toEqual([]);
    victimIntact();
    await sentinel().serves(ATTACKER);
  });

  it("cancelAll() cancels nothing of the victim's", async () => {
    expect(sentinel().host.forOwner(ATTACKER).cancelAll('all of them')).toBe(0);
    victimIntact();
    await sentinel().serves(ATTACKER);
  });

  it("a plugin cannot forge events or blind other listeners: the handle has no emit and no removeAllListeners, and is frozen", async () => {
    const s = sentinel();
    const mallory = s.host.forOwner(ATTACKER) as unknown as Record<string, unknown>;
    for (const member of ['emit', 'removeAllListeners', 'removeListener', 'off', 'on', 'listeners', '_events']) expect(mallory[member], member).toBeUndefined();
    expect(Object.isFrozen(mallory)).toBe(true);
    expect(() => {
      mallory.spawn = () => 'forged';
    }).toThrow(TypeError);
    // a listener of the attacker's own removes only itself
    const alice = s.host.forOwner(VICTIM);
    const seen = collect(alice);
    const stop = s.host.forOwner(ATTACKER).onEvent(() => undefined);
    stop();
    stop();
    const id = alice.spawn({ label: 'alice again', binary: 'echo', args: ['still heard'] });
    await alice.wait(id);
    expect(seen.filter((event) => event.job_id === id).map((event) => event.type)).toEqual(['job_started', 'job_log_line', 'job_completed']);
    victimIntact();
    await s.serves(ATTACKER);
  });

  it('the handle holds no path to the host or to another handle', async () => {
    const s = sentinel();
    const mallory = s.host.forOwner(ATTACKER);
    const fields = mallory as unknown as Record<string, unknown>;
    const reachable: unknown[] = Object.getOwnPropertyNames(mallory).map((key) => fields[key]);
    expect(reachable).not.toContain(s.host);
    expect(reachable).not.toContain(s.host.forOwner(VICTIM));
    expect(fields.host).toBeUndefined();
    await s.serves(ATTACKER);
  });
});

describe('ownership: owner ids', () => {
  const BAD: readonly { name: string; owner: unknown }[] = [
    { name: 'empty', owner: '' },
    { name: 'a newline', owner: 'alice\nmallory' },
    { name: 'NUL', owner: 'alice\0' },
    { name: 'an escape sequence', owner: '\x1b[2Jalice' },
    { name: '129 characters', owner: 'o'.repeat(129) },
    { name: 'a number', owner: 42 },
    { name: 'null', owner: null },
    { name: 'an object', owner: { toString: () => VICTIM } },
  ];
  it.each(BAD)('$name → ERR_INVALID_OWNER', async ({ owner }) => {
    const s = sentinel();
    await s.refused(ATTACKER, () => s.host.forOwner(owner as string), 'ERR_INVALID_OWNER');
  });

  it("look-alike owners are other owners: 'alice ' and 'alice:1' cannot see alice's jobs", async () => {
    const s = sentinel();
    for (const owner of [`${VICTIM} `, running, 'ALICE', '\u0430lice']) {
      const handle = s.host.forOwner(owner);
      expect(handle.status(running)).toBeUndefined();
      expect(handle.cancel(running)).toBe(false);
      await s.serves(owner);
      expect(handle.list().map((job) => job.id)).toEqual([`${owner}:1`]);
    }
    victimIntact();
  });
});

describe('ownership: a hostile listener and hostile cancel reasons', () => {
  // Regression: re-cancelling a pending job from its own job_cancelled event ended it twice and unqueued another owner's job for good.
  it("re-entering cancel from a listener cannot end a job twice or drop another owner's queued job", async () => {
    const host = makeHost({ maxConcurrent: 1, binaries: { echo: {} } });
    const mallory = host.forOwner(ATTACKER);
    const alice = host.forOwner(VICTIM);
    const blocker = mallory.spawn({ label: 'blocker', binary: 'forever', args: [] });
    await nextEvent(mallory, (event) => event.type === 'job_started' && event.job_id === blocker);
    const pending = mallory.spawn({ label: 'pending', binary: 'echo', args: ['x'] });
    const queued = alice.spawn({ label: 'queued', binary: 'echo', args: ['alice runs'] });
    const terminals: string[] = [];
    const answers: boolean[] = [];
    mallory.onEvent((event) => {
      if (!isTerminalEvent(event)) return;
      terminals.push(event.job_id);
      answers.push(mallory.cancel(pending, 'again'), mallory.cancel(pending, 'and again'));
    });
    expect(mallory.cancel(pending, 'first')).toBe(true);
    expect(terminals).toEqual([pending]);
    expect(answers).toEqual([false, false]);
    expect(alice.status(queued)).toBe('Pending');
    mallory.cancel(blocker);
    expect(await alice.wait(queued)).toMatchObject({ type: 'job_completed', output_tail: 'alice runs\n' });
    expect(terminals.filter((id) => id === pending)).toHaveLength(1);
  });

  // Regression: a non-string reason or a lone surrogate went onto the wire in job_cancelled.reason.
  const REASONS: readonly { name: string; reason: unknown; expected: string }[] = [
    { name: 'an object', reason: { evil: true }, expected: 'cancelled' },
    { name: 'a number', reason: 42, expected: 'cancelled' },
    { name: 'a lone surrogate', reason: 'stop \ud800', expected: 'stop \ufffd' },
  ];
  it.each(REASONS)('a cancel reason that is $name ends the job with a contract-valid event', async ({ reason, expected }) => {
    const s = sentinel();
    const mallory = s.host.forOwner(ATTACKER);
    const id = mallory.spawn({ label: 'victim of its owner', binary: 'forever', args: [] });
    s.minted(ATTACKER, id);
    await nextEvent(mallory, (event) => event.type === 'job_started' && event.job_id === id);
    expect(mallory.cancel(id, reason as string)).toBe(true);
    const end = await mallory.wait(id);
    expect(end).toMatchObject({ type: 'job_cancelled', reason: expected });
    expect(JobEventSchema.safeParse(end).success).toBe(true);
    await s.serves(ATTACKER);
  });
});

describe('an owner limited to some binaries reaches no other', () => {
  // 'limited' may run only the probe's echo; 'forever' and the fixtures are allow-listed for everyone else
  const LIMITED = 'limited';
  const NAMES: readonly string[] = ['forever', 'lines', 'FOREVER', 'forever ', './forever', '__proto__', 'constructor', 'hasOwnProperty'];
  it.each(NAMES)('%j → ERR_BINARY_NOT_ALLOWED, nothing starts', async (binary) => {
    const s = sentinel();
    const limited = s.host.forOwner(LIMITED, { binaries: ['echo'] });
    const error = await s.refused(LIMITED, () => limited.spawn({ label: 'reach', binary, args: [] }), 'ERR_BINARY_NOT_ALLOWED');
    expect(error.message).toMatch(/\(allowed: echo\)$/);
  });

  it('asking for its handle again with wider rights is refused, and the rights stay as they were', async () => {
    const s = sentinel();
    s.host.forOwner(LIMITED, { binaries: ['echo'] });
    expect(() => s.host.forOwner(LIMITED, { binaries: ['echo', 'forever'] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }) as Error);
    await s.refused(LIMITED, () => s.host.forOwner(LIMITED).spawn({ label: 'reach', binary: 'forever', args: [] }), 'ERR_BINARY_NOT_ALLOWED');
  });
});
